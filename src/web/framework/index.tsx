import { ComingSoon } from '../shell/ComingSoon';

/** The framework module's page. A placeholder until the module is built: replace this component. */
export default function FrameworkPage() {
  return <ComingSoon module="framework" />;
}
