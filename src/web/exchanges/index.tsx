import { ComingSoon } from '../shell/ComingSoon';

/** The exchanges module's page. A placeholder until the module is built: replace this component. */
export default function ExchangesPage() {
  return <ComingSoon module="exchanges" />;
}
