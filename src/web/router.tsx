import { useSyncExternalStore, type AnchorHTMLAttributes, type ReactNode } from 'react';

/*
 * A small hash router: `#/audit`. Hash routes need nothing from the server (any static file server
 * can host the app) and survive reloads. Hashes that do not start with `#/` are left alone.
 */

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function currentPath(): string {
  const hash = window.location.hash;
  if (!hash.startsWith('#/')) return '/';
  const path = hash.slice(1).split('?')[0] ?? '/';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The current route path, e.g. `/audit`; `/` when there is none. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

export function navigate(path: string): void {
  window.location.hash = path;
}

export function hrefFor(path: string): string {
  return `#${path}`;
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  readonly to: string;
  readonly children: ReactNode;
}

/** A real link (middle-click, copy address and keyboard all work), marked as the current page when it is. */
export function Link({ to, children, ...rest }: LinkProps) {
  const path = usePath();
  return (
    <a href={hrefFor(to)} aria-current={path === to ? 'page' : undefined} {...rest}>
      {children}
    </a>
  );
}
