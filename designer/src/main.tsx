// The runtime UI's foundation (API client, router, session, theme) serves both apps.
import { mountApp } from '../../runtime-ui/src/app/mount';
import { App } from './App';

mountApp(App);
