import { StepwiseError } from '../core/errors.ts';

/** An API request that cannot be answered: the status to send and what was wrong. */
export class ViewRequestError extends StepwiseError {
  readonly status: number;
  constructor(status: number, message: string, hint?: string) {
    super(status === 404 ? 'not_found' : 'bad_request', message, { hint });
    this.status = status;
  }
}

export function notFound(message: string, hint?: string): ViewRequestError {
  return new ViewRequestError(404, message, hint);
}

export function badRequest(message: string, hint?: string): ViewRequestError {
  return new ViewRequestError(400, message, hint);
}
