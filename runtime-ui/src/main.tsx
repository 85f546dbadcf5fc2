import { App } from './App';
import { mountApp } from './app/mount';

mountApp(App);
