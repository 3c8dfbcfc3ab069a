/**
 * The contract's channel and event names, alone: the preload needs only these, and importing
 * the schemas would put zod and the project schema into the sandboxed preload. A test holds
 * these lists to contract.ts.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'examples:list',
  'examples:create',
  'project:open',
  'project:save',
  'project:open-content',
  'recent:list',
  'backup:write',
  'backup:check',
  'backup:clear',
  'lessons:progress',
  'lessons:save-progress',
  'app:update',
  'app:close',
  'workspace:list',
  'training:start',
  'training:pause',
  'training:resume',
  'training:step',
  'training:stop',
  'training:configure',
  'training:speed',
  'training:snapshot',
  'training:reset',
] as const;

export const EVENT_NAMES = [
  'training:progress',
  'training:stopped',
  'training:error',
  'project:open-request',
  'app:close-requested',
  'app:update-available',
  'menu:command',
] as const;
