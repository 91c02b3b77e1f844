/**
 * The drawing tools: what a pointer does on the stage in each mode. Shapes being drawn live here;
 * a finished shape goes to the host as an intent (add / update), and the host's answer is what
 * the overlay shows from then on.
 */
import { maskBounds } from '../../../core/regions/binaryMask';
import { decodeRle, encodeRle } from '../../../core/regions/cocoRle';
import { freeId } from '../../../core/regions/regionEdits';
import type { Region, RegionDraft, SegmentPromptMessage } from '../../protocol/regionEditorMessages';
import { bounds, dragHandle, Handle, handleAt, moveShape, regionAt } from './hitTest';
import type { ToolName } from './layout';
import { MaskLayer, shiftMask } from './maskLayer';
import type { OverlayScene } from './overlay';
import type { Viewport } from './viewport';

/** What the tools need from the editor around them. */
export interface ToolHost {
  regions(): readonly Region[];
  /** Whether the region exists, or was just sent to the host to be added. */
  known(id: string): boolean;
  editable(): boolean;
  selected(): string | undefined;
  select(id: string | undefined): void;
  add(regions: readonly RegionDraft[]): void;
  update(region: RegionDraft): void;
  /** Asks the host to segment; the answer comes back through showSegment. */
  segment(prompt: SegmentPromptMessage): void;
  redraw(): void;
  notice(text: string): void;
}

/** Below this many stage pixels a press is a click, not a drag. */
const CLICK_SLOP = 4;
const CLOSE_DISTANCE = 8;

type Drag =
  | { readonly kind: 'box'; readonly start: readonly [number, number]; end: readonly [number, number] }
  | { readonly kind: 'move'; readonly region: Region; readonly start: readonly [number, number]; preview: Region; offset: readonly [number, number] }
  | { readonly kind: 'handle'; readonly region: Region; readonly handle: Handle; preview: Region }
  | { readonly kind: 'paint'; last: readonly [number, number] }
  | { readonly kind: 'segmentBox'; readonly start: readonly [number, number]; readonly startStage: readonly [number, number]; end: readonly [number, number] };

export class DrawingTools {
  private tool: ToolName = 'select';
  private drag?: Drag;
  private polygon: Array<readonly [number, number]> = [];
  private hover?: readonly [number, number];
  private brushCursor?: { x: number; y: number };
  /** A mask being painted, and the mask region it edits (if it started from one). */
  private paint?: { layer: MaskLayer; regionId?: string };
  /** Clicks (and a box) of the object being segmented, and the region its mask became; Enter, Escape or another tool starts the next object. */
  private segmentPrompt: { points: Array<{ x: number; y: number; positive: boolean }>; box?: [number, number, number, number]; regionId?: string } = { points: [] };
  brushSize = 24;

  constructor(private readonly host: ToolHost, private readonly viewport: Viewport, private readonly stage: HTMLElement) {
    stage.addEventListener('pointerdown', (e) => this.down(e));
    stage.addEventListener('pointermove', (e) => this.move(e));
    stage.addEventListener('pointerup', (e) => this.up(e));
    stage.addEventListener('pointerleave', () => {
      this.brushCursor = undefined;
      this.hover = undefined;
      host.redraw();
    });
  }

  get current(): ToolName {
    return this.tool;
  }

  setTool(tool: ToolName): void {
    if (tool !== this.tool && !(isPaintTool(tool) && isPaintTool(this.tool))) this.discard();
    this.tool = tool;
    this.stage.dataset.tool = tool;
    this.host.redraw();
  }

  /** Whether a polygon, a painted mask or clicks of a segmentation are in progress. */
  get hasPending(): boolean {
    return this.polygon.length > 0 || !!this.paint?.layer.touched || this.segmentPrompt.points.length > 0 || !!this.segmentPrompt.box;
  }

  /** What the overlay draws: the regions (one replaced by its preview while dragged) and the shape in progress. */
  scene(): OverlayScene {
    const drag = this.drag;
    const preview = drag && (drag.kind === 'move' || drag.kind === 'handle') ? drag.preview : undefined;
    let regions = this.host.regions();
    if (preview) regions = regions.map((r) => (r.id === preview.id ? preview : r));
    if (this.paint?.regionId) regions = regions.filter((r) => r.id !== this.paint!.regionId);
    return {
      regions,
      maskOffset: drag?.kind === 'move' && drag.region.kind === 'mask' ? { id: drag.region.id, dx: drag.offset[0], dy: drag.offset[1] } : undefined,
      selected: this.host.selected(),
      dragBox: drag?.kind === 'box' || drag?.kind === 'segmentBox' ? [drag.start[0], drag.start[1], drag.end[0], drag.end[1]] : undefined,
      polygon: this.polygon.length > 0 ? { points: this.polygon, hover: this.hover } : undefined,
      pendingMask: this.paint?.layer.canvas,
      segmentPoints: this.tool === 'segment' ? this.segmentPrompt.points : undefined,
      brush: isPaintTool(this.tool) && this.brushCursor ? { ...this.brushCursor, radius: this.brushSize / 2, erase: this.tool === 'eraser' } : undefined,
    };
  }

  /** Keeps the shape in progress as a region (Enter). */
  keep(): void {
    if (this.polygon.length > 0) this.closePolygon();
    else if (this.paint?.layer.touched) this.keepPaint();
    else this.endSegment();
  }

  /** Drops the shape in progress (Escape). */
  discard(): void {
    this.polygon = [];
    this.paint = undefined;
    this.endSegment();
    this.drag = undefined;
    this.host.redraw();
  }

  /** Removes the last polygon point (Backspace); false when there is no polygon in progress. */
  undoPoint(): boolean {
    if (this.polygon.length === 0) return false;
    this.polygon.pop();
    this.host.redraw();
    return true;
  }

  /**
   * The segmenter's mask for the current clicks becomes a region at once; further clicks on the
   * same object replace its mask (each an undoable edit) until Enter, Escape or another tool.
   */
  showSegment(answer: { rle: { size: [number, number]; counts: string }; model: string }): void {
    const bounds = maskBounds(decodeRle(answer.rle));
    if (!bounds) {
      this.host.notice('The segmenter found nothing there: click elsewhere or draw a box.');
      return;
    }
    const fields = { kind: 'mask' as const, bbox: bounds, rle: answer.rle, model: answer.model, source: 'segment' as const };
    // a region undone or deleted meanwhile is not brought back by a refining click: a new one starts
    const existing = this.segmentPrompt.regionId && this.host.known(this.segmentPrompt.regionId) ? this.segmentPrompt.regionId : undefined;
    const current = existing ? this.host.regions().find((r) => r.id === existing) : undefined;
    // the host applies intents in order: an update right after the add reaches the region the add made
    if (existing) this.host.update({ ...(current ? stripUpdated(current) : { id: existing, description: '' }), ...fields });
    else {
      const id = freeId(new Set(this.host.regions().map((r) => r.id)));
      this.segmentPrompt.regionId = id;
      this.host.add([{ id, description: '', ...fields }]);
      this.host.select(id);
    }
    this.host.redraw();
  }

  /** A copy of the region beside it, as a new region, selected (so Delete right after takes the copy away). */
  duplicate(region: Region): void {
    const id = freeId(new Set(this.host.regions().map((r) => r.id)));
    this.host.add([{ ...stripUpdated(this.moved(region, 0.02, 0.02)), id }]);
    this.host.select(id);
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0) return;
    const at = this.viewport.toImage(e);
    const [sx, sy] = this.stagePoint(e);
    this.stage.setPointerCapture(e.pointerId);
    if (this.tool !== 'select' && !this.host.editable()) {
      this.host.notice('These regions cannot be changed here: the regions file is read-only (the reason is shown above).');
      return;
    }
    switch (this.tool) {
      case 'select': {
        const selected = this.host.regions().find((r) => r.id === this.host.selected());
        const handle = selected && this.host.editable() ? handleAt(selected, this.viewport, sx, sy) : undefined;
        if (selected && handle) {
          this.drag = { kind: 'handle', region: selected, handle, preview: selected };
          return;
        }
        const hit = regionAt(this.host.regions(), at[0], at[1]);
        this.host.select(hit?.id);
        if (hit && this.host.editable()) this.drag = { kind: 'move', region: hit, start: at, preview: hit, offset: [0, 0] };
        return;
      }
      case 'rect':
        if (this.host.editable()) this.drag = { kind: 'box', start: at, end: at };
        return;
      case 'polygon':
        this.clickPolygon(at, sx, sy);
        return;
      case 'brush':
      case 'eraser':
        if (!this.host.editable()) return;
        this.startPaint();
        this.drag = { kind: 'paint', last: at };
        this.paint!.layer.stroke(at, at, this.brushRadius(), this.tool === 'eraser');
        this.host.redraw();
        return;
      case 'segment':
        this.drag = { kind: 'segmentBox', start: at, startStage: [sx, sy], end: at };
        return;
    }
  }

  private move(e: PointerEvent): void {
    const at = this.viewport.toImage(e);
    const drag = this.drag;
    if (isPaintTool(this.tool)) this.brushCursor = { x: this.stagePoint(e)[0], y: this.stagePoint(e)[1] };
    if (this.tool === 'polygon') this.hover = at;
    if (drag?.kind === 'box' || drag?.kind === 'segmentBox') drag.end = at;
    else if (drag?.kind === 'move') {
      // a mask is shifted once, on release; while dragging, its drawing is only offset
      drag.offset = [at[0] - drag.start[0], at[1] - drag.start[1]];
      drag.preview = moveShape(drag.region, drag.offset[0], drag.offset[1]);
    }
    else if (drag?.kind === 'handle') drag.preview = dragHandle(drag.region, drag.handle, at[0], at[1]);
    else if (drag?.kind === 'paint') {
      this.paint!.layer.stroke(drag.last, at, this.brushRadius(), this.tool === 'eraser');
      drag.last = at;
    }
    this.host.redraw();
  }

  private up(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    if (!drag) return;
    const at = this.viewport.toImage(e);
    switch (drag.kind) {
      case 'box': {
        const [x1, y1] = this.viewport.toStage(drag.start[0], drag.start[1]);
        const [x2, y2] = this.viewport.toStage(at[0], at[1]);
        // a click without a drag draws nothing; any drag is sent, and the host refuses a degenerate one with why
        if (Math.abs(x2 - x1) <= CLICK_SLOP && Math.abs(y2 - y1) <= CLICK_SLOP) break;
        const id = freeId(new Set(this.host.regions().map((r) => r.id)));
        const bbox: [number, number, number, number] = [Math.min(drag.start[0], at[0]), Math.min(drag.start[1], at[1]), Math.abs(at[0] - drag.start[0]), Math.abs(at[1] - drag.start[1])];
        this.host.add([{ id, kind: 'box', bbox, description: '', model: '', source: 'user' }]);
        this.host.select(id);
        break;
      }
      case 'move':
        if (drag.offset[0] !== 0 || drag.offset[1] !== 0) this.host.update(stripUpdated(this.moved(drag.region, drag.offset[0], drag.offset[1])));
        break;
      case 'handle':
        if (drag.preview !== drag.region) this.host.update(stripUpdated(drag.preview));
        break;
      case 'segmentBox': {
        const [sx, sy] = this.stagePoint(e);
        const isClick = Math.abs(sx - drag.startStage[0]) <= CLICK_SLOP && Math.abs(sy - drag.startStage[1]) <= CLICK_SLOP;
        if (isClick) this.segmentPrompt.points.push({ x: clamp01(at[0]), y: clamp01(at[1]), positive: !e.shiftKey });
        else this.segmentPrompt.box = [Math.min(drag.start[0], at[0]), Math.min(drag.start[1], at[1]), Math.abs(at[0] - drag.start[0]), Math.abs(at[1] - drag.start[1])].map(clamp01) as [number, number, number, number];
        this.host.segment({ points: this.segmentPrompt.points.slice(), box: this.segmentPrompt.box });
        break;
      }
      case 'paint':
        break;
    }
    this.host.redraw();
  }

  private clickPolygon(at: readonly [number, number], sx: number, sy: number): void {
    if (!this.host.editable()) return;
    const first = this.polygon[0];
    if (first && this.polygon.length >= 3) {
      const [fx, fy] = this.viewport.toStage(first[0], first[1]);
      if (Math.hypot(fx - sx, fy - sy) <= CLOSE_DISTANCE) {
        this.closePolygon();
        return;
      }
    }
    this.polygon.push(at);
    this.host.redraw();
  }

  private closePolygon(): void {
    const points = this.polygon;
    this.polygon = [];
    if (points.length < 3) {
      this.host.notice('A polygon needs at least 3 points: keep clicking, or Escape to cancel.');
      this.polygon = points;
      return;
    }
    const id = freeId(new Set(this.host.regions().map((r) => r.id)));
    this.host.add([{ id, kind: 'polygon', bbox: bounds(points), points, description: '', model: '', source: 'user' }]);
    this.host.select(id);
    this.host.redraw();
  }

  private startPaint(): void {
    if (this.paint) return;
    const layer = new MaskLayer(this.viewport.imageWidth, this.viewport.imageHeight);
    const selected = this.host.regions().find((r) => r.id === this.host.selected());
    // painting on a selected mask edits it; otherwise a new mask starts
    if (selected?.kind === 'mask' && selected.rle) {
      layer.load(decodeRle(selected.rle));
      this.paint = { layer, regionId: selected.id };
    } else this.paint = { layer };
  }

  private keepPaint(): void {
    const paint = this.paint!;
    this.paint = undefined;
    const mask = paint.layer.toMask();
    const bounds = maskBounds(mask);
    const existing = paint.regionId ? this.host.regions().find((r) => r.id === paint.regionId) : undefined;
    if (!bounds) {
      this.host.notice('The mask is empty: paint on the image first (the eraser removed everything).');
      this.host.redraw();
      return;
    }
    const rle = encodeRle(mask);
    if (existing) this.host.update({ ...stripUpdated(existing), rle, bbox: bounds });
    else {
      const id = freeId(new Set(this.host.regions().map((r) => r.id)));
      this.host.add([{ id, kind: 'mask', bbox: bounds, rle, description: '', model: '', source: 'user' }]);
      this.host.select(id);
    }
    this.host.redraw();
  }

  /** Starts over: the next click segments a new object. */
  private endSegment(): void {
    this.segmentPrompt = { points: [] };
    this.host.redraw();
  }

  /** The region moved by (dx, dy); a mask's pixels are shifted in its own resolution. */
  private moved(region: Region, dx: number, dy: number): Region {
    if (region.kind !== 'mask' || !region.rle) return moveShape(region, dx, dy);
    const mask = decodeRle(region.rle);
    const shifted = shiftMask(mask, Math.round(dx * mask.width), Math.round(dy * mask.height));
    const bounds = maskBounds(shifted) ?? region.bbox;
    return { ...region, rle: encodeRle(shifted), bbox: [...bounds] as [number, number, number, number] };
  }

  private brushRadius(): number {
    // the brush size is in screen pixels; the layer's pixels are image pixels scaled to the mask
    const imagePixelsPerScreen = 1 / this.viewport.current.scale;
    return Math.max(0.5, (this.brushSize / 2) * imagePixelsPerScreen * (this.paint!.layer.width / (this.viewport.imageWidth || 1)));
  }

  private stagePoint(e: PointerEvent): [number, number] {
    const rect = this.stage.getBoundingClientRect();
    return [e.clientX - rect.left, e.clientY - rect.top];
  }
}

function isPaintTool(tool: ToolName): boolean {
  return tool === 'brush' || tool === 'eraser';
}

/** The region as an edit intent (the host stamps the time of the edit). */
export function stripUpdated(region: Region): RegionDraft {
  const { updated: _updated, ...draft } = region;
  return draft;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
