/**
 * One request through the contract, whatever carries it (Electron's IPC, the browser host's
 * socket, or the web edition's in-page host): the payload validated against the channel's
 * schema, the handler called, its answer validated, any failure one sentence.
 */
import { CHANNELS, type Channel, type IpcFailure, type ParsedRequestOf, type ResponseOf } from '../contract';
import { UserError } from './user-error';

/** A handler per channel: it receives the validated request and answers the channel's response. */
export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

/**
 * Runs one request through the contract: checks the sender, validates the payload, calls the
 * handler, validates the response. Never throws: any failure is an {@link IpcFailure} whose
 * message the renderer can show.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  payload: unknown,
  senderAllowed: boolean,
): Promise<{ ok: unknown } | IpcFailure> {
  if (!senderAllowed) return { error: 'Request refused: it did not come from the NN Studio window.' };
  if (!Object.hasOwn(CHANNELS, channel)) return { error: `Unknown request '${String(channel).slice(0, 80)}'.` };
  const contract = CHANNELS[channel as Channel];
  const request = contract.request.safeParse(payload ?? {});
  if (!request.success) {
    const issue = request.error.issues[0];
    return { error: `Invalid request to ${channel}: ${issue.path.join('.') || 'payload'}: ${issue.message}` };
  }
  try {
    const result = await (handlers[channel as Channel] as (r: unknown) => Promise<unknown>)(request.data);
    const response = contract.response.safeParse(result);
    if (!response.success) return { error: `NN Studio produced an invalid answer to ${channel}; please report this.` };
    return { ok: response.data };
  } catch (error) {
    if (error instanceof UserError) return { error: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { error: `Something went wrong in ${channel}: ${message}` };
  }
}
