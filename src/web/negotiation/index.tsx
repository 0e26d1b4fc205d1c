import { ComingSoon } from '../shell/ComingSoon';

/** The negotiation module's page. A placeholder until the module is built: replace this component. */
export default function NegotiationPage() {
  return <ComingSoon module="negotiation" />;
}
