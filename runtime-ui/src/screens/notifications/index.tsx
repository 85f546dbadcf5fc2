/** The Notifications area: the user's own messages. */
import type { Area } from '../../App';
import { NotificationsScreen } from './NotificationsScreen';

export const notificationsArea: Area = {
  nav: [{ to: '/notifications', label: 'Notifications' }],
  routes: [{ path: '/notifications', render: () => <NotificationsScreen /> }],
};
