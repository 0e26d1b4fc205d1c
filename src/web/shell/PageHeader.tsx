import type { ReactNode } from 'react';

export function PageHeader({ title, lead, children }: { readonly title: string; readonly lead?: string; readonly children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {lead && <p className="lead">{lead}</p>}
      {children}
    </header>
  );
}
