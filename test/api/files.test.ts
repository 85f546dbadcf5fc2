import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let worker: Client;
let outsider: Client;
let caseId: string;

beforeAll(async () => {
  t = await startTestEngine({ uploads: { maxBytes: 64 * 1024, allowedTypes: ['application/pdf', 'text/plain'] } });
  worker = await t.login('csw.garcia@example.org');
  outsider = await t.login('dpo.nguyen@example.org');
  caseId = (await worker.get('/api/cases')).body.items[0]._id;
});
afterAll(() => t?.stop());

const upload = (client: Client, id: string, file: Parameters<typeof multipart>[1], description = 'Court report') => {
  const body = multipart({ description }, file);
  return client.request('POST', `/api/cases/${id}/files`, body.payload, body.headers);
};

describe('case files', () => {
  it('uploads, lists and downloads a file byte for byte', async () => {
    const content = Buffer.from('%PDF-1.4\n' + 'x'.repeat(5000));
    const res = await upload(worker, caseId, { name: 'report.pdf', type: 'application/pdf', content });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'report.pdf', contentType: 'application/pdf', size: content.length, description: 'Court report' });
    const list = await worker.get(`/api/cases/${caseId}/files`);
    expect(list.body.map((f: any) => f.name)).toContain('report.pdf');
    const download = await t.engine.http.inject({ method: 'GET', url: `/api/files/${res.body.id}`, headers: { cookie: (await loginCookie()) } });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="report.pdf"/);
  });

  it('keeps a hostile file name inside its folder', async () => {
    const res = await upload(worker, caseId, { name: '../../../etc/passwd', type: 'text/plain', content: 'hello' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('passwd');
  });

  it('refuses a type outside the allowed list, and a file over the limit, keeping nothing', async () => {
    const before = (await worker.get(`/api/cases/${caseId}/files`)).body.length;
    const exe = await upload(worker, caseId, { name: 'tool.exe', type: 'application/x-msdownload', content: 'MZ' });
    expect(exe.status).toBe(415);
    expect(exe.body.errors[0].path).toBe('/file');
    const big = await upload(worker, caseId, { name: 'big.pdf', type: 'application/pdf', content: Buffer.alloc(65 * 1024, 1) });
    expect(big.status).toBe(413);
    expect(big.body.errors[0].message).toMatch(/65536 bytes/);
    expect((await worker.get(`/api/cases/${caseId}/files`)).body.length).toBe(before);
  });

  it('refuses a request without a file', async () => {
    const res = await worker.post(`/api/cases/${caseId}/files`, { description: 'no file' });
    expect(res.status).toBe(400);
  });

  it('hides files of a case outside the caller scope', async () => {
    const res = await upload(worker, caseId, { name: 'note.txt', type: 'text/plain', content: 'private' });
    expect((await outsider.get(`/api/files/${res.body.id}`)).status).toBe(404);
    expect((await outsider.get(`/api/cases/${caseId}/files`)).status).toBe(404);
    const upload2 = await upload(outsider, caseId, { name: 'x.txt', type: 'text/plain', content: 'x' });
    expect(upload2.status).toBe(404);
  });
});

async function loginCookie(): Promise<string> {
  const res = await t.engine.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'csw.garcia@example.org', password: 'Demo-Pass-2026!' } });
  return String([res.headers['set-cookie']].flat()[0]).split(';')[0];
}
