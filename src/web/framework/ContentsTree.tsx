import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Framework } from '../../core/framework/model';
import { LANGUAGES, useT, type Messages } from '../i18n';
import { anchorId, numbered, roman, teaser, textIn, titleIn, type ClauseStatus } from './document';
import { StatusBadge } from './StatusBadge';

/*
 * The contents as an ARIA tree (chapters → articles → clauses): arrow keys move, Right and Left open
 * and close, Home and End jump, Enter or a click shows the place in the text. One item is in the tab
 * order at a time (roving tabindex), so Tab leaves the tree in one step.
 */

interface TreeNode {
  readonly id: string;
  readonly anchor: string;
  readonly label: string;
  readonly level: number;
  readonly parent: string | null;
  readonly children: readonly TreeNode[];
  readonly status?: ClauseStatus;
}

function buildTree(doc: Framework, language: string, preambleLabel: string): TreeNode[] {
  const declared = doc.process.languages;
  const words = (LANGUAGES as Readonly<Record<string, Messages>>)[language.split('-')[0]!]?.framework.doc ?? LANGUAGES.en.framework.doc;
  const nodes: TreeNode[] = [{ id: 'preamble', anchor: anchorId.preamble, label: preambleLabel, level: 1, parent: null, children: [] }];
  for (const ch of numbered(doc)) {
    nodes.push({
      id: ch.chapter.id,
      anchor: anchorId.chapter(ch.chapter.id),
      label: words.chapter(roman(ch.number), titleIn(ch.chapter.title, language, declared)),
      level: 1,
      parent: null,
      children: ch.articles.map((a) => ({
        id: a.article.id,
        anchor: anchorId.article(a.article.id),
        label: words.article(a.number, titleIn(a.article.title, language, declared)),
        level: 2,
        parent: ch.chapter.id,
        children: a.article.clauses.map((c, i) => ({
          id: c.id,
          anchor: anchorId.clause(c.id),
          label: `${i + 1}. ${teaser(textIn(c.text, language) ?? titleIn(c.text, language, declared)) || c.id}`,
          level: 3,
          parent: a.article.id,
          children: [],
          status: c.status,
        })),
      })),
    });
  }
  return nodes;
}

function visibleNodes(nodes: readonly TreeNode[], collapsed: ReadonlySet<string>, out: TreeNode[] = []): TreeNode[] {
  for (const node of nodes) {
    out.push(node);
    if (node.children.length > 0 && !collapsed.has(node.id)) visibleNodes(node.children, collapsed, out);
  }
  return out;
}

const treeItemId = (id: string) => `fw-tree-${id}`;

interface ContentsTreeProps {
  readonly doc: Framework;
  readonly language: string;
  /** The item whose place the reader is at (scrolled to or chosen). */
  readonly current: string | null;
  readonly onNavigate: (id: string, anchor: string) => void;
}

export function ContentsTree({ doc, language, current, onNavigate }: ContentsTreeProps) {
  const t = useT();
  const nodes = useMemo(() => buildTree(doc, language, t.framework.preamble), [doc, language, t]);
  const byId = useMemo(() => {
    const map = new Map<string, TreeNode>();
    const walk = (list: readonly TreeNode[]) =>
      list.forEach((n) => {
        map.set(n.id, n);
        walk(n.children);
      });
    walk(nodes);
    return map;
  }, [nodes]);
  // Everything starts open (a new version's chapters too): the reader closes what they do not need.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focused, setFocused] = useState<string>(nodes[0]?.id ?? '');
  const moveFocus = useRef(false);
  const treeRef = useRef<HTMLUListElement>(null);

  // A new version may not have the item that had the focus.
  const focusedId = byId.has(focused) ? focused : (nodes[0]?.id ?? '');

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    document.getElementById(treeItemId(focusedId))?.focus();
  }, [focusedId]);

  // Keep the reader's place visible inside the tree (scrolling the tree only, never the page).
  useEffect(() => {
    const tree = treeRef.current;
    if (!current || !tree) return;
    let target = byId.get(current);
    // Inside a closed branch: show the nearest open ancestor.
    for (let up = target?.parent; up; up = byId.get(up)?.parent) if (collapsed.has(up)) target = byId.get(up);
    const row = target && document.getElementById(treeItemId(target.id))?.querySelector<HTMLElement>('.fw-tree-row');
    const box = tree.parentElement;
    if (!row || !box) return;
    const rowTop = row.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    if (rowTop < box.scrollTop + 8 || rowTop > box.scrollTop + box.clientHeight - 40)
      box.scrollTop = Math.max(0, rowTop - box.clientHeight / 3);
  }, [current, byId, collapsed]);

  const focusOn = (id: string) => {
    moveFocus.current = true;
    setFocused(id);
  };

  const toggle = (id: string, open?: boolean) =>
    setCollapsed((set) => {
      const next = new Set(set);
      if (open ?? next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const list = visibleNodes(nodes, collapsed);
    const index = list.findIndex((n) => n.id === focusedId);
    const node = list[index];
    if (!node) return;
    const isParent = node.children.length > 0;
    const isOpen = !collapsed.has(node.id);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        if (index < list.length - 1) focusOn(list[index + 1]!.id);
        break;
      case 'ArrowUp':
        if (index > 0) focusOn(list[index - 1]!.id);
        break;
      case 'ArrowRight':
        if (isParent && !isOpen) toggle(node.id, true);
        else if (isParent) focusOn(node.children[0]!.id);
        break;
      case 'ArrowLeft':
        if (isParent && isOpen) toggle(node.id, false);
        else if (node.parent) focusOn(node.parent);
        break;
      case 'Home':
        focusOn(list[0]!.id);
        break;
      case 'End':
        focusOn(list[list.length - 1]!.id);
        break;
      case 'Enter':
      case ' ':
        onNavigate(node.id, node.anchor);
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };

  const renderNode = (node: TreeNode, index: number, siblings: readonly TreeNode[]) => {
    const isParent = node.children.length > 0;
    const isOpen = !collapsed.has(node.id);
    return (
      <li
        key={node.id}
        id={treeItemId(node.id)}
        role="treeitem"
        aria-level={node.level}
        aria-setsize={siblings.length}
        aria-posinset={index + 1}
        aria-expanded={isParent ? isOpen : undefined}
        aria-selected={current === node.id}
        tabIndex={node.id === focusedId ? 0 : -1}
        data-level={node.level}
        data-node={node.id}
        onFocus={(event) => {
          if (event.target === event.currentTarget) setFocused(node.id);
        }}
      >
        <div
          className="fw-tree-row"
          onClick={() => {
            setFocused(node.id);
            onNavigate(node.id, node.anchor);
          }}
        >
          {isParent ? (
            <span
              className="fw-tree-twisty"
              aria-hidden="true"
              data-open={isOpen}
              onClick={(event) => {
                event.stopPropagation();
                toggle(node.id);
              }}
            >
              <svg viewBox="0 0 12 12" width="12" height="12" focusable="false">
                <path
                  d="M4 2.5 7.5 6 4 9.5"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.6"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
              </svg>
            </span>
          ) : (
            <span className="fw-tree-twisty" aria-hidden="true" />
          )}
          <span className="fw-tree-label" title={node.level === 3 ? node.label : undefined}>
            {node.label}
          </span>
          {node.status && <StatusBadge status={node.status} compact />}
        </div>
        {isParent && isOpen && <ul role="group">{node.children.map((child, i, all) => renderNode(child, i, all))}</ul>}
      </li>
    );
  };

  return (
    <nav className="fw-tree" aria-labelledby="fw-tree-title">
      <h2 className="fw-tree-title" id="fw-tree-title">
        {t.framework.contents}
      </h2>
      <p className="visually-hidden" id="fw-tree-hint">
        {t.framework.contentsHint}
      </p>
      <div className="fw-tree-scroll">
        <ul role="tree" aria-labelledby="fw-tree-title" aria-describedby="fw-tree-hint" ref={treeRef} onKeyDown={onKeyDown}>
          {nodes.map((node, i, all) => renderNode(node, i, all))}
        </ul>
      </div>
    </nav>
  );
}
