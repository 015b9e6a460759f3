import { ViewRequestError } from '../view/http-error.ts';
import type { ApiRoute } from '../view/api.ts';
import type { WriteRoute } from '../view/server.ts';
import { webAnswerSchema, type WebPerson } from './web-person.ts';
import type { FeedbackSessionStatus } from './web-prompt.ts';

export type { FeedbackSessionStatus } from './web-prompt.ts';

/**
 * The viewer's feedback page API: GET the open prompt; POST an answer to it. The POST is the only
 * write, and all it does is answer the prompt the session waits on; the session then records the
 * turn or judgment as feedback annotations.
 */
export function feedbackRoutes(person: WebPerson, status: () => FeedbackSessionStatus, onFinalStateRead: () => void): { routes: ApiRoute[]; writes: WriteRoute[] } {
  return {
    routes: [
      {
        path: '/api/feedback/prompt',
        async handle() {
          const now = status();
          if (now.done) onFinalStateRead();
          return { prompt: person.current(), ...now };
        },
      },
    ],
    writes: [
      {
        path: '/api/feedback/answer',
        async handle(body) {
          const parsed = webAnswerSchema.safeParse(body);
          if (!parsed.success) throw new ViewRequestError(400, `not an answer: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
          const result = person.answer(parsed.data);
          if (!result.ok) throw new ViewRequestError(409, result.error);
          return { accepted: true };
        },
      },
    ],
  };
}
