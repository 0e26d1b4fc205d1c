import { useRef, useState, type FormEvent } from 'react';
import { problemAt, type ApiProblem } from '../api';
import { useT, type Messages } from '../i18n';
import { useSession, type SessionState } from '../session';
import { Brand } from './Brand';
import { Field } from './Field';
import { LanguageSwitch } from './LanguageSwitch';

type SignedOut = Extract<SessionState, { status: 'signed-out' }>;
type FieldName = 'username' | 'password';

/** The message for a failed sign-in: the server's own words, except where the reader needs ours. */
function problemText(t: Messages, problem: ApiProblem): string {
  if (problem.code === 'rate_limited' || problem.status === 429) return t.signIn.rateLimited(problem.retryAfter ?? null);
  if (problem.code === 'network') return t.signIn.network;
  if (problem.code === 'bad_response') return t.errors.badResponse;
  return problem.detail;
}

export function SignInPage({ state }: { readonly state: SignedOut }) {
  const t = useT();
  const { signIn, retry } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [missing, setMissing] = useState<ReadonlySet<FieldName>>(new Set());
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting) return;
    const empty = new Set<FieldName>();
    if (username.trim() === '') empty.add('username');
    if (password === '') empty.add('password');
    setMissing(empty);
    if (empty.size > 0) {
      setProblem(null);
      (empty.has('username') ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setSubmitting(true);
    setProblem(null);
    const result = await signIn(username.trim(), password);
    if (result.ok) return; // the shell replaces this page
    setSubmitting(false);
    setProblem(result.problem);
    if (problemAt(result.problem, '/username')) usernameRef.current?.focus();
    else if (problemAt(result.problem, '/password')) passwordRef.current?.focus();
    else alertRef.current?.focus();
  };

  const fieldError = (field: FieldName): string | null => {
    if (missing.has(field)) return t.signIn.required;
    if (problem && problemAt(problem, `/${field}`)) return problemText(t, problem);
    return null;
  };
  const generalProblem = problem && !problemAt(problem, '/username') && !problemAt(problem, '/password') ? problem : null;

  return (
    <div className="signin-page">
      <div className="signin-top">
        <LanguageSwitch />
      </div>
      <main id="main" className="signin-main">
        <div className="signin-card">
          <Brand withTagline />
          <h1>{t.signIn.title}</h1>
          <p className="signin-intro">{t.signIn.intro}</p>

          {state.reason === 'ended' && <p className="notice notice-info">{t.signIn.sessionEnded}</p>}
          {state.reason === 'signed-out' && <p className="notice notice-info">{t.signIn.signedOut}</p>}
          {state.reason === 'unreachable' && !problem && (
            <div className="notice notice-error" role="alert">
              <p>{state.problem ? problemText(t, state.problem) : t.signIn.network}</p>
              <button type="button" className="button button-small" onClick={retry}>
                {t.app.retry}
              </button>
            </div>
          )}
          <div className="notice notice-error" role="alert" tabIndex={-1} ref={alertRef} hidden={!generalProblem}>
            {generalProblem && problemText(t, generalProblem)}
          </div>

          <form className="form signin-form" noValidate onSubmit={(e) => void onSubmit(e)}>
            <Field id="signin-username" label={t.signIn.username} error={fieldError('username')}>
              {(control) => (
                <input
                  {...control}
                  ref={usernameRef}
                  name="username"
                  type="text"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  required
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                />
              )}
            </Field>
            <Field id="signin-password" label={t.signIn.password} error={fieldError('password')}>
              {(control) => (
                <input
                  {...control}
                  ref={passwordRef}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
            <button type="submit" className="button button-primary button-block" disabled={submitting} aria-busy={submitting || undefined}>
              {submitting ? t.signIn.submitting : t.signIn.submit}
            </button>
          </form>
        </div>
        <p className="signin-foot">{t.overview.promises}</p>
      </main>
    </div>
  );
}
