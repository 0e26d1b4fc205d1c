import { ComingSoon } from '../shell/ComingSoon';

/** The stress module's page. A placeholder until the module is built: replace this component. */
export default function StressTestPage() {
  return <ComingSoon module="stress" />;
}
