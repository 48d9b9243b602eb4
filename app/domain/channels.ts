// The channels an opinion can arrive through. The stored type (CHANNELS in
// db/schema) already names 'api', but the portal cannot receive through it
// yet: choice lists offer only what is receivable today. The intake API adds
// 'api' here when it ships.
import { CHANNELS, type Channel } from '../../db/schema';

export { CHANNELS, type Channel };

export const RECEIVABLE_CHANNELS: readonly Channel[] = ['web', 'phone', 'post', 'visit'];

export function isReceivable(channel: Channel): boolean {
  return RECEIVABLE_CHANNELS.includes(channel);
}
