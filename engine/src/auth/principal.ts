/**
 * The caller of an API request. Every authenticator (password today, single sign-on
 * later) produces one; everything else in the engine sees only this shape.
 */
export interface Principal {
  userId: string;
  email: string;
  name: string;
  roles: string[];
  /** Scope attributes (organisation, office, unit, areas...) that access rules compare with case data. */
  attributes: Record<string, unknown>;
  /** Signed in with a password someone else chose: only changing it is allowed until then. */
  mustChangePassword?: boolean;
}

export function hasAnyRole(principal: Principal, roles: readonly string[] | undefined): boolean {
  return !!roles && roles.some((role) => principal.roles.includes(role));
}
