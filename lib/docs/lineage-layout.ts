/**
 * Lays the lineage graph out left to right with dagre at generation time, so the page is plain
 * SVG: no layout script runs in the browser, and the picture is the same in every browser.
 */
import { Graph, layout, type Point } from '@dagrejs/dagre';
import { lineageEdgeId, type LineageGraph, type LineageNode } from './lineage-graph.ts';

/** Rough width of one character of the node labels' font (12px sans-serif), for box sizes. */
const CHARACTER_WIDTH = 7;
const NODE_PADDING = 24;
const NODE_HEIGHT = 34;
const MARGIN = 16;

export interface PlacedNode extends LineageNode {
  /** Top-left corner and size of its box. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** An SVG path through dagre's points. */
  readonly path: string;
}

export interface LineageLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

export function layOutLineage(graph: LineageGraph): LineageLayout {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: node.label.length * CHARACTER_WIDTH + NODE_PADDING, height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
  layout(g);
  const nodes = graph.nodes.map((node): PlacedNode => {
    const placed = g.node(node.id);
    return { ...node, x: placed.x - placed.width / 2, y: placed.y - placed.height / 2, width: placed.width, height: placed.height };
  });
  const edges = graph.edges.map((edge): PlacedEdge => {
    const points: readonly Point[] = (g.edge(edge.from, edge.to) as { points?: Point[] }).points ?? [];
    const path = points.map((point, i) => `${i === 0 ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');
    return { id: lineageEdgeId(edge), from: edge.from, to: edge.to, path };
  });
  const { width = 0, height = 0 } = g.graph();
  return { width: Math.ceil(width), height: Math.ceil(height), nodes, edges };
}
