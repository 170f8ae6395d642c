/**
 * The grid: filtered pages of photos from the API, most recently changed first, rendered as a
 * virtual list (only the rows on screen exist in the DOM, so 10,000 photos scroll as smoothly as
 * 50), loading the next page as the end comes near. Live changes move a photo to the top, or in
 * and out of the grid as the filters say.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { api } from "../shared/api.ts";
import { FilterBar, type Filters, filterQuery, matchesFilters, NO_FILTERS } from "./filters.tsx";
import { live } from "./live.ts";
import { PhotoCard } from "./photo-card.tsx";
import type { PhotoSummary } from "./types.ts";

const PAGE = 60;
const CARD_MIN_WIDTH = 210;
const ROW_HEIGHT = 292;
const GAP = 12;
const OVERSCAN_ROWS = 2;

interface Page {
  photos: PhotoSummary[];
  cursor?: string;
}

export function PhotoGrid() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [photos, setPhotos] = useState<PhotoSummary[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const generation = useRef(0);

  const load = async (reset: boolean) => {
    const mine = reset ? ++generation.current : generation.current;
    setLoading(true);
    try {
      const params = filterQuery(filters);
      params.set("limit", String(PAGE));
      if (!reset && cursor) params.set("cursor", cursor);
      const page = await api<Page>(`/dashboard/photos?${params}`);
      if (mine !== generation.current) return;
      live.know(page.photos);
      setPhotos((before) => (reset ? page.photos : dedupe([...before, ...page.photos])));
      setCursor(page.cursor);
      setError(undefined);
    } catch (e) {
      if (mine === generation.current) setError((e as Error).message);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    void load(true);
  }, [filters]);

  useEffect(
    () =>
      live.onChanges((changes) =>
        setPhotos((list) => {
          const changed = new Set(changes.map((c) => c.id));
          const kept = list.filter((p) => !changed.has(p.id));
          const fresh = changes
            .filter((c) => matchesFilters(c, filters))
            .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
          return [...fresh, ...kept];
        }),
      ),
    [filters],
  );

  return (
    <section aria-labelledby="photos-title">
      <h2 id="photos-title" class="sr-only">
        Photos
      </h2>
      <FilterBar value={filters} onChange={setFilters} />
      {error && (
        <p class="error-box" role="alert">
          {error}
        </p>
      )}
      <p class="muted small" role="status" aria-live="polite">
        {loading
          ? "Loading…"
          : `${photos.length}${cursor ? "+" : ""} photos${cursor ? " (more as you scroll)" : ""}`}
      </p>
      <VirtualGrid photos={photos} onNearEnd={() => cursor && !loading && load(false)} />
      {cursor && (
        <button type="button" class="secondary load-more" disabled={loading} onClick={() => load(false)}>
          Load more photos
        </button>
      )}
    </section>
  );
}

function VirtualGrid({ photos, onNearEnd }: { photos: PhotoSummary[]; onNearEnd: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);
  const [range, setRange] = useState({ first: 0, last: 6 });

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const cols = Math.max(1, Math.floor((el.clientWidth + GAP) / (CARD_MIN_WIDTH + GAP)));
      setColumns(cols);
      const top = el.getBoundingClientRect().top + window.scrollY;
      const first = Math.max(0, Math.floor((window.scrollY - top) / ROW_HEIGHT) - OVERSCAN_ROWS);
      // At least a screenful from `first`, also while the grid is still below the fold.
      const screen = Math.ceil(window.innerHeight / ROW_HEIGHT) + OVERSCAN_ROWS;
      const last = Math.max(
        first + screen,
        Math.ceil((window.scrollY + window.innerHeight - top) / ROW_HEIGHT) + OVERSCAN_ROWS,
      );
      setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    window.addEventListener("scroll", measure, { passive: true });
    return () => {
      observer.disconnect();
      window.removeEventListener("scroll", measure);
    };
  }, []);

  const rows = Math.ceil(photos.length / columns);
  const last = Math.min(rows, range.last);
  useEffect(() => {
    if (rows > 0 && last >= rows - OVERSCAN_ROWS) onNearEnd();
  }, [last, rows]);

  const visible = photos.slice(range.first * columns, last * columns);
  return (
    <div
      ref={box}
      class="grid"
      style={{
        paddingTop: `${range.first * ROW_HEIGHT}px`,
        height: `${rows * ROW_HEIGHT}px`,
        gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
        gridAutoRows: `${ROW_HEIGHT - GAP}px`,
      }}
    >
      {visible.map((p) => (
        <PhotoCard key={p.id} photo={p} />
      ))}
    </div>
  );
}

function dedupe(photos: PhotoSummary[]): PhotoSummary[] {
  const seen = new Set<string>();
  return photos.filter((p) => !seen.has(p.id) && seen.add(p.id));
}
