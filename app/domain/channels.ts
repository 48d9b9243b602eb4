// The channels an opinion can arrive through: the web form, staff recording a
// phone call, letter or visit, and the intake API (phone, post, visit, the
// 12345 hotline, or another system's own intake). Choice lists offer only
// what is receivable; a stored channel outside this list is still shown
// where opinions came through it.
import { CHANNELS, type Channel } from '../../db/schema';

export { CHANNELS, type Channel };

export const RECEIVABLE_CHANNELS: readonly Channel[] = ['web', 'phone', 'post', 'visit', 'hotline', 'api'];

export function isReceivable(channel: Channel): boolean {
  return RECEIVABLE_CHANNELS.includes(channel);
}
