// Channels as the syntax shows them, for GR204, GR208 and GR216.
import type { Node } from 'web-tree-sitter';
import { callArguments } from '../engine/syntax';

/** `make(chan T)` or `make(chan T, 0)`: a channel without a buffer. */
export function isUnbufferedMake(node: Node | null | undefined): boolean {
  if (!node || node.type !== 'call_expression' || node.childForFieldName('function')?.text !== 'make') return false;
  const args = callArguments(node);
  if (args.length === 0 || args[0]!.type !== 'channel_type') return false;
  return args.length === 1 || (args.length === 2 && args[1]!.text === '0');
}

/** How a mention of a channel's name uses it: received from (`<-ch`, `range ch`), sent on (`ch <- v`), or anything else. */
export type ChannelUse = 'receive' | 'send' | 'other';

export function channelUse(id: Node): ChannelUse {
  const parent = id.parent;
  if (parent?.type === 'unary_expression' && parent.childForFieldName('operator')?.text === '<-') return 'receive';
  if (parent?.type === 'range_clause' && parent.childForFieldName('right')?.id === id.id) return 'receive';
  if (parent?.type === 'send_statement' && parent.childForFieldName('channel')?.id === id.id) return 'send';
  return 'other';
}
