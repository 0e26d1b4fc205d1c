import { z } from 'zod';
import { fail, ok } from '../../core/errors';
import { SESSION_COOKIE } from '../auth';
import { defineRoute, parseCookies } from '../route';
import { UserOut, userOut } from './schemas';

const SignIn = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict();
const SessionOut = z.object({ user: UserOut, csrfToken: z.string() });

export const sessionRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/session',
    summary: 'Sign in with a username and password; sets an HttpOnly session cookie and returns the CSRF token',
    tag: 'session',
    action: 'sign-in',
    body: SignIn,
    response: SessionOut,
    async handler({ body, services, request, reply }) {
      const result = await services.auth.signIn(body.username, body.password, request.ip);
      if (!result.ok) return result;
      const { sessionId, csrfToken, user } = result.value;
      const secure = services.secureCookies ? '; Secure' : '';
      void reply.header('set-cookie', `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200${secure}`);
      services.log.info({ username: user.username }, 'signed in');
      return ok({ user: userOut(user), csrfToken });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/session',
    summary: 'The signed-in user and the CSRF token for this session',
    tag: 'session',
    action: 'session.read',
    response: SessionOut,
    async handler({ request, services }) {
      const id = parseCookies(request.headers.cookie)[SESSION_COOKIE];
      const session = id ? await services.auth.session(id) : null;
      const user = session ? services.journal.image.identity.users.get(session.username) : undefined;
      if (!session || !user) return fail('unauthenticated', 'this route needs a browser session');
      return ok({ user: userOut(user), csrfToken: session.csrf });
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/session',
    summary: 'Sign out',
    tag: 'session',
    action: 'session.end',
    response: null,
    async handler({ request, reply, services }) {
      const id = parseCookies(request.headers.cookie)[SESSION_COOKIE];
      if (id) await services.auth.signOut(id);
      void reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return ok(undefined);
    },
  }),
];
