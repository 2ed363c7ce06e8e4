import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Editor } from "@tiptap/react";
import type { TaskDetail } from "../../../../shared/api/tasks";
import type { MeResponse } from "../../../../shared/api/auth";
import type { ScoreResponse, ReviseResponse } from "../../../../shared/api/loop";
import { canWriteDocument } from "../../../../shared/collab/permissions";
import { colourForUser, type PresenceUser } from "../../../../shared/collab/presence";
import type { CritiqueItem } from "../../../../shared/critique/items";
import { lintCaption, type Finding } from "../../../../shared/captionSpec/lint";
import { formatTimecode, frameAt } from "../../../../shared/timecode";
import { putCritiqueItem, removeCritiqueItem, updateCritiqueItem } from "../../../../shared/room/document";
import { api, errorMessage, request } from "../../app/api";
import { Link } from "../../ui/Link";
import { StageBadge } from "../../ui/StageBadge";
import { ASPECT_LABELS } from "../../ui/format";
import { labelsApi } from "../labelling/labelsApi";
import { useSpec } from "../spec/useSpec";
import { anchorFromSelection, lintSpans, resolveItemSpans, type OrphanedItem } from "./anchorMapping";
import { saveLabel } from "./connectionState";
import { CritiquePanel, type PrimitiveOption } from "./CritiquePanel";
import { DraftEditor } from "./DraftEditor";
import { HelpOverlay } from "./HelpOverlay";
import { PostCaption } from "./PostCaption";
import { RoundsList } from "./RoundsList";
import { Presence } from "./Presence";
import { CoachingPanel } from "../training/CoachingPanel";
import { CatchesPanel, type CatchTarget } from "../review/CatchesPanel";
import { panelTaskOf, type PanelTask } from "../review/permissions";
import { useCatchesVersion } from "../review/useCatchesVersion";
import { buildDecorations, setRoomDecorations } from "./roomDecorations";
import { shortcutFor, type Handlers } from "./shortcuts";
import { Timeline } from "./Timeline";
import { useRounds } from "./useRounds";
import { SPEEDS, usePlayer } from "./usePlayer";
import { usePublishPlayhead, useRoom, useRoomConnection, type RoomConnection } from "./useRoom";
import "./room.css";

/** Default range of a new item: half a second either side of the playhead. */
const DEFAULT_HALF_RANGE = 0.5;
const FLASH_MS = 900;

/**
 * The words selected in the draft. The DOM selection wins when it lies in the editor: ProseMirror reads it on the
 * asynchronous selectionchange event, so a key pressed right after a double-click could otherwise see the old one.
 */
function editorSelection(editor: Editor): { from: number; to: number } | null {
  const view = editor.view;
  const dom = window.getSelection();
  if (dom && !dom.isCollapsed && dom.anchorNode && dom.focusNode && view.dom.contains(dom.anchorNode) && view.dom.contains(dom.focusNode)) {
    try {
      const a = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
      const b = view.posAtDOM(dom.focusNode, dom.focusOffset);
      if (a !== b) return { from: Math.min(a, b), to: Math.max(a, b) };
    } catch {
      // A node ProseMirror does not own (a caret label): fall back to the editor's own selection.
    }
  }
  const sel = editor.state.selection;
  return sel.empty ? null : { from: sel.from, to: sel.to };
}

/** Loads who "I" am, then opens the room. */
export function RoomPage({ task }: { task: TaskDetail }) {
  const [me, setMe] = useState<MeResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.me().then(setMe, (err: unknown) => setError(errorMessage(err)));
  }, []);
  if (error) return <main className="page"><p className="alert alert-error" role="alert">{error}</p></main>;
  if (!me) return <main className="page"><p className="muted">Opening the room…</p></main>;
  const self: PresenceUser = { id: me.id, name: me.displayName, role: me.role, relation: task.relation, colour: colourForUser(me.id) };
  return <Room task={task} self={self} />;
}

function Room({ task, self }: { task: TaskDetail; self: PresenceUser }) {
  const conn = useRoomConnection(task.id, self);
  if (!conn) return <main className="page"><p className="muted">Joining the room…</p></main>;
  return <RoomView key={conn.provider.doc.guid} conn={conn} task={task} self={self} />;
}

function RoomView({ conn, task, self }: { conn: RoomConnection; task: TaskDetail; self: PresenceUser }) {
  const video = task.video;
  const room = useRoom(conn);
  // The stage moves under the room (revising → refining): the badge shows the server's, re-read with the rounds.
  const { rounds, stage } = useRounds(task.id, room.revision, task.stage);
  const player = usePlayer(video.durationSec, video.fps);
  const fps = video.fps;
  const writable = canWriteDocument(task.relation, task.stage);
  // Annotators critique the draft, they do not rewrite it; reviewers (fix-and-approve) and leads may.
  const textEditable = writable && task.relation !== "annotator" && task.relation !== "trainer";
  const lockReason = !writable
    ? "Read only: you follow this room."
    : "The draft's text is locked for you: select words and press C to critique them.";

  usePublishPlayhead(room.awareness, useMemo(() => ({ time: player.time, playing: player.playing }), [player.time, player.playing]));

  const [editor, setEditor] = useState<Editor | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [flashId, setFlashId] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [following, setFollowing] = useState<string | null>(null);
  const [score, setScore] = useState<number | null>(task.score);
  const [notice, setNotice] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const [orphaned, setOrphaned] = useState<OrphanedItem[]>([]);
  const rootRef = useRef<HTMLDivElement>(null);
  const whatFieldRef = useRef<HTMLTextAreaElement | null>(null);
  const focusWhatNext = useRef(false);

  // --- spec lint (soft warnings) ------------------------------------------------------------------------------
  const spec = useSpec();
  const [labelled, setLabelled] = useState<string[]>([]);
  useEffect(() => {
    const ctl = new AbortController();
    labelsApi.get(task.id, ctl.signal).then((r) => setLabelled(r.labels.map((l) => l.primitiveId)), () => undefined);
    return () => ctl.abort();
  }, [task.id]);
  const lintText = useCallback(
    (text: string): Finding[] =>
      spec.status === "ready" && text.trim()
        ? lintCaption(text, { spec: spec.spec, lexicon: spec.lexicon, aspect: task.aspect }).filter((f) => f.rule !== "missing")
        : [],
    [spec, task.aspect],
  );
  const draftFindings = useMemo(
    () => (spec.status === "ready" && room.draft.trim() ? lintCaption(room.draft, { spec: spec.spec, lexicon: spec.lexicon, aspect: task.aspect, primitives: labelled }) : []),
    [spec, room.draft, task.aspect, labelled],
  );
  const primitives = useMemo<PrimitiveOption[]>(
    () =>
      spec.status === "ready"
        ? Object.values(spec.spec.primitives)
            .filter((p) => p.aspect === task.aspect)
            .map((p) => ({ id: p.id, label: p.label }))
        : [],
    [spec, task.aspect],
  );

  // --- decorations: re-resolved from the anchors whenever the document, the items or the selection change --------
  const latest = useRef({ items: room.items, draft: room.draft, draftFindings, selectedId, flashId });
  latest.current = { items: room.items, draft: room.draft, draftFindings, selectedId, flashId };
  const refreshDecorations = useCallback(() => {
    if (!editor || editor.isDestroyed) return;
    const { items, draft, draftFindings: findings, selectedId: sel, flashId: flash } = latest.current;
    const resolved = resolveItemSpans(room.doc, editor.state.doc, items, draft);
    if (!resolved) return; // the editor has not caught up yet; its next update calls again
    const types = new Map(items.map((i) => [i.id, i.errorType]));
    const set = buildDecorations(editor.state, {
      spans: resolved.spans,
      lint: lintSpans(editor.state.doc, findings),
      errorTypeOf: (id) => types.get(id),
      selectedId: sel,
      flashId: flash,
    });
    editor.view.dispatch(setRoomDecorations(editor.state.tr, set));
    setOrphaned((prev) => (JSON.stringify(prev) === JSON.stringify(resolved.orphaned) ? prev : resolved.orphaned));
  }, [editor, room.doc]);
  useEffect(() => {
    queueMicrotask(refreshDecorations);
  }, [refreshDecorations, room.items, room.draft, draftFindings, selectedId, flashId]);
  useEffect(() => {
    if (!editor) return;
    const onUpdate = () => queueMicrotask(refreshDecorations);
    editor.on("update", onUpdate);
    return () => {
      editor.off("update", onUpdate);
    };
  }, [editor, refreshDecorations]);

  // --- items ------------------------------------------------------------------------------------------------------
  const selected = room.items.find((i) => i.id === selectedId) ?? null;
  const duration = player.duration;
  const clampTime = (t: number) => Math.max(0, duration ? Math.min(duration, t) : t);
  const snap = (t: number) => (fps ? frameAt(t, fps) / fps : t);

  const flash = useCallback((id: string) => {
    setFlashId(id);
    window.setTimeout(() => setFlashId((f) => (f === id ? null : f)), FLASH_MS);
  }, []);

  const selectItem = useCallback(
    (id: string, opts: { seek: boolean }) => {
      const item = latest.current.items.find((i) => i.id === id);
      if (!item) return;
      setSelectedId(id);
      if (opts.seek && item.timeStart !== null) {
        player.pause();
        player.seek(item.timeStart);
      }
      flash(id);
      if (player.loop && item.timeStart !== null) player.setLoop({ start: item.timeStart, end: item.timeEnd ?? item.timeStart });
    },
    [player, flash],
  );

  const update = useCallback(
    (id: string, patch: Partial<Omit<CritiqueItem, "id">>) => {
      if (writable) updateCritiqueItem(room.doc, id, patch);
    },
    [room.doc, writable],
  );

  const addCritique = () => {
    if (!writable) return setNotice({ kind: "info", text: "You are following this room read-only." });
    const sel = editor ? editorSelection(editor) : null;
    const anchor = editor && sel ? anchorFromSelection(room.doc, editor.state.doc, sel.from, sel.to) : null;
    const t = snap(player.time);
    const item: CritiqueItem = {
      id: crypto.randomUUID(),
      errorType: anchor ? "wrong_term" : "missing_information",
      primitiveId: null,
      what: "",
      fix: "",
      anchor,
      timeStart: snap(clampTime(t - DEFAULT_HALF_RANGE)),
      timeEnd: snap(clampTime(t + DEFAULT_HALF_RANGE)),
      createdBy: self.id,
      createdAt: new Date().toISOString(),
    };
    putCritiqueItem(room.doc, item);
    setSelectedId(item.id);
    focusWhatNext.current = true;
  };
  useEffect(() => {
    if (focusWhatNext.current && selectedId && whatFieldRef.current) {
      focusWhatNext.current = false;
      whatFieldRef.current.focus();
    }
  });

  const mark = (edge: "in" | "out") => {
    if (!selected || !writable) return;
    const t = snap(player.time);
    const start = selected.timeStart ?? t;
    const end = selected.timeEnd ?? t;
    if (edge === "in") update(selected.id, { timeStart: t, timeEnd: Math.max(end, t) });
    else update(selected.id, { timeStart: Math.min(start, t), timeEnd: t });
  };

  const moveSelection = (direction: 1 | -1) => {
    const items = room.items;
    if (items.length === 0) return;
    const i = items.findIndex((x) => x.id === selectedId);
    const next = items[i < 0 ? (direction > 0 ? 0 : items.length - 1) : (i + direction + items.length) % items.length];
    if (next) selectItem(next.id, { seek: true });
  };

  const deleteSelected = () => {
    if (!selected || !writable) return;
    removeCritiqueItem(room.doc, selected.id);
    setSelectedId(null);
    rootRef.current?.focus();
  };

  // --- score and revise (server side: shared/api/loop.ts) ---------------------------------------------------------
  const canScore = task.relation === "annotator" || task.relation === "lead" || task.relation === "admin";
  const submitScore = (value: number) => {
    if (!canScore) return;
    setScore(value);
    request<ScoreResponse>("PUT", `/api/tasks/${encodeURIComponent(task.id)}/score`, { body: { score: value } }).then(
      (r) => setScore(r.score),
      (err: unknown) => setNotice({ kind: "error", text: `Score not saved: ${errorMessage(err)}` }),
    );
  };
  const revise = () => {
    request<ReviseResponse>("POST", `/api/tasks/${encodeURIComponent(task.id)}/revise`).then(
      (r) => setNotice({ kind: "info", text: r.joined ? `Joined revision round ${r.n}.` : `Revision round ${r.n} started.` }),
      (err: unknown) => setNotice({ kind: "error", text: `Could not start a revision: ${errorMessage(err)}` }),
    );
  };

  // --- follow -----------------------------------------------------------------------------------------------------
  const others = useMemo(() => {
    const seen = new Map<string, (typeof room.participants)[number]>();
    for (const p of room.participants) if (!p.isSelf && p.user.id !== self.id && !seen.has(p.user.id)) seen.set(p.user.id, p);
    return [...seen.values()];
  }, [room.participants, self.id]);
  const followed = following ? room.participants.find((p) => p.user.id === following && p.playhead) : undefined;
  const followedTime = followed?.playhead?.time;
  useEffect(() => {
    if (followedTime === undefined) return;
    const frame = fps ? 1 / fps : 0.04;
    if (Math.abs(player.currentTime() - followedTime) > frame / 2) {
      player.pause();
      player.seek(followedTime);
    }
  }, [followedTime, fps, player]);
  const cycleFollow = () => {
    if (others.length === 0) return setFollowing(null);
    const i = others.findIndex((p) => p.user.id === following);
    const next = i + 1 < others.length ? others[i + 1] : undefined;
    setFollowing(next ? next.user.id : null);
  };

  // --- keyboard ---------------------------------------------------------------------------------------------------
  const handlers: Handlers = {
    playPause: () => player.togglePlay(),
    shuttleBack: () => player.shuttleBack(),
    shuttleForward: () => player.shuttleForward(),
    frameBack: () => player.step(-1),
    frameForward: () => player.step(1),
    tenBack: () => player.step(-10),
    tenForward: () => player.step(10),
    toStart: () => player.seek(0),
    toEnd: () => player.step(1e9),
    slower: () => player.nudgeSpeed(-1),
    faster: () => player.nudgeSpeed(1),
    loop: () => {
      if (player.loop) return player.setLoop(null);
      if (selected?.timeStart != null) player.setLoop({ start: selected.timeStart, end: selected.timeEnd ?? selected.timeStart });
    },
    addCritique,
    markIn: () => mark("in"),
    markOut: () => mark("out"),
    nextItem: () => moveSelection(1),
    prevItem: () => moveSelection(-1),
    editItem: () => whatFieldRef.current?.focus(),
    deleteItem: deleteSelected,
    focusDraft: () => editor?.commands.focus(),
    follow: cycleFollow,
    score: (e) => submitScore(Number(e.key)),
    help: () => setHelp((h) => !h),
    escape: (e) => {
      if (help) return setHelp(false);
      const t = e.target;
      if (t instanceof HTMLElement && t !== rootRef.current) {
        rootRef.current?.focus();
        return;
      }
      setSelectedId(null);
    },
  };
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  useEffect(() => {
    const isLockedEditor = (t: EventTarget | null) =>
      !textEditable && t instanceof HTMLElement && t.closest('[data-testid="draft-editor"]') !== null;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const s = shortcutFor(e, isLockedEditor);
      if (!s) return;
      const h = handlersRef.current[s.id];
      if (!h) return;
      e.preventDefault();
      h(e);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [textEditable]);
  // Focus never falls to <body>: whatever removed it, the room takes it back so shortcuts keep working.
  useEffect(() => {
    const onFocusOut = () =>
      window.setTimeout(() => {
        if (document.activeElement === document.body || document.activeElement === null) rootRef.current?.focus({ preventScroll: true });
      }, 0);
    document.addEventListener("focusout", onFocusOut);
    rootRef.current?.focus({ preventScroll: true });
    return () => document.removeEventListener("focusout", onFocusOut);
  }, []);

  // --- review: catches live in the room (the panel refetches when the server mirrors a catch into the document) ---
  const catchesVersion = useCatchesVersion(room.doc);
  const [reviewTask, setReviewTask] = useState<PanelTask>(() => panelTaskOf(task));
  const reloadReviewTask = useCallback(() => {
    api.task(task.id).then((t) => setReviewTask(panelTaskOf(t)), (err: unknown) => setNotice({ kind: "error", text: errorMessage(err) }));
  }, [task.id]);
  // Another user's start or decision moves the stage under the room: re-read who reviews and at which stage.
  useEffect(() => {
    if (stage !== reviewTask.stage) reloadReviewTask();
  }, [stage, reviewTask.stage, reloadReviewTask]);
  const catchItems = useMemo(
    () => room.items.map((i, n) => ({ id: i.id, label: `${n + 1}. ${i.what.trim().slice(0, 60) || i.errorType}` })),
    [room.items],
  );
  // The selection is not React state: re-read it when the editor reports a change, so the offered anchor follows.
  const [selectionTick, setSelectionTick] = useState(0);
  useEffect(() => {
    if (!editor) return;
    const onSelection = () => setSelectionTick((n) => n + 1);
    editor.on("selectionUpdate", onSelection);
    return () => {
      editor.off("selectionUpdate", onSelection);
    };
  }, [editor]);
  // The catch is anchored like "Add critique" (the same selection and anchor code), with the playhead's range.
  const catchTarget = useMemo((): CatchTarget => {
    const sel = editor ? editorSelection(editor) : null;
    const anchor = editor && sel ? anchorFromSelection(room.doc, editor.state.doc, sel.from, sel.to) : null;
    const t = snap(player.time);
    return {
      ...(anchor ? { anchor, quote: anchor.quote } : {}),
      timeStart: snap(clampTime(t - DEFAULT_HALF_RANGE)),
      timeEnd: snap(clampTime(t + DEFAULT_HALF_RANGE)),
    };
    // selectionTick: the editor's selection moved (read above from the editor, not from state).
  }, [editor, room.doc, selectionTick, player.time, fps, duration]);

  const save = saveLabel(room.save, writable);
  const orphanMap = useMemo(() => new Map(orphaned.map((o) => [o.itemId, o.quote])), [orphaned]);
  const constructiveCount = room.items.length;

  return (
    <div className="room" ref={rootRef} tabIndex={-1} data-testid="room" aria-label="Review room">
      <header className="room-head">
        <nav className="crumbs" aria-label="Breadcrumb">
          <Link href="/">Tasks</Link>
          <span aria-hidden="true">/</span>
          <span>{task.projectName}</span>
        </nav>
        <h1>
          {video.title} <span className={`aspect aspect-${task.aspect}`}>{ASPECT_LABELS[task.aspect]}</span>
        </h1>
        <StageBadge stage={stage} />
        <div className="room-head-right">
          <Presence participants={room.participants} fps={fps} followingId={following} onFollow={setFollowing} />
          <span className={`save-state save-${save.kind}`} data-testid="save-state" data-state={save.kind} role="status">
            {save.text}
          </span>
          <button type="button" className="btn btn-small" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
            <kbd>?</kbd> Shortcuts
          </button>
        </div>
      </header>
      {notice && (
        <p className={`room-notice alert ${notice.kind === "error" ? "alert-error" : "alert-info"}`} role="status">
          {notice.text}
          <button type="button" className="btn-link" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      )}
      <div className="room-grid">
        <section className="room-left" aria-label="Clip">
          <div className="room-video">
            <video
              ref={player.videoRef}
              src={video.fileUrl}
              preload="auto"
              playsInline
              muted
              aria-label={`Clip: ${video.title}`}
              data-testid="task-video"
              onClick={() => player.togglePlay()}
              {...player.videoProps}
            />
            {followed && <span className="follow-flag" style={{ background: followed.user.colour }}>Following {followed.user.name}</span>}
          </div>
          <div className="transport room-transport">
            <button type="button" className="btn btn-icon" onClick={() => player.step(-1)} aria-label="One frame back" title="One frame back (←)">
              ◀︎|
            </button>
            <button type="button" className="btn btn-icon" onClick={() => player.togglePlay()} aria-label={player.playing ? "Pause" : "Play"} title="Play / pause (Space, K)">
              {player.playing ? "❚❚" : "▶"}
            </button>
            <button type="button" className="btn btn-icon" onClick={() => player.step(1)} aria-label="One frame forward" title="One frame forward (→)">
              |▶︎
            </button>
            <output className="timecode" data-testid="timecode" aria-label="Timecode">
              {formatTimecode(player.time, fps)}
            </output>
            <span className="timecode-total">/ {duration ? formatTimecode(duration, fps) : "--:--:--:--"}</span>
            {player.shuttle !== 0 && <span className="shuttle">{player.shuttle > 0 ? "▶▶" : "◀◀"} {Math.abs(player.shuttle)}×</span>}
            <span className="transport-spacer" />
            <label className="speed" title="Playback speed ([ / ])">
              <span className="sr-only">Speed</span>
              <select value={player.speed} onChange={(e) => player.setSpeed(Number(e.currentTarget.value))}>
                {SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    {s}×
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className={`btn btn-small${player.loop ? " btn-primary" : ""}`}
              aria-pressed={player.loop !== null}
              onClick={() => handlers.loop?.(new KeyboardEvent("keydown"))}
              disabled={!player.loop && selected?.timeStart == null}
              title="Loop the selected item's range (R)"
            >
              Loop
            </button>
          </div>
          <Timeline
            duration={duration}
            fps={fps}
            time={player.time}
            items={room.items}
            selectedId={selectedId}
            participants={room.participants}
            loop={player.loop}
            editable={writable}
            onSeek={(t) => {
              player.pause();
              player.seek(t);
            }}
            onSelect={(id) => selectItem(id, { seek: true })}
            onChangeRange={(id, start, end) => update(id, { timeStart: start, timeEnd: end })}
          />
          <section className="card post-card" aria-label="Post-caption">
            <header className="card-head">
              <h2>Post-caption</h2>
              {writable && task.relation !== "reviewer" && (
                <button type="button" className="btn btn-small" onClick={revise} disabled={room.revision.status === "running" || room.items.length === 0}>
                  Revise from critique
                </button>
              )}
            </header>
            <PostCaption draft={room.draft} post={room.post} revision={room.revision} />
            <RoundsList rounds={rounds} />
          </section>
        </section>
        <section className="room-right" aria-label="Draft and critique">
          <section className="card draft-card" aria-label="Draft">
            <header className="card-head">
              <h2>Draft</h2>
              <span className="muted small">
                {draftFindings.length > 0 ? `${draftFindings.length} spec warning${draftFindings.length === 1 ? "" : "s"}` : "Model pre-caption"}
              </span>
            </header>
            {room.draft.trim() === "" && room.save.synced && <p className="muted small">The draft has not arrived yet.</p>}
            <DraftEditor
              doc={room.doc}
              provider={room.provider}
              self={self}
              textEditable={textEditable}
              lockReason={lockReason}
              onEditor={setEditor}
              onSpanClick={(id) => selectItem(id, { seek: false })}
            />
          </section>
          <section className="card crit-card" aria-label="Critique">
            <header className="card-head">
              <h2>
                Critique <span className="count">{constructiveCount}</span>
              </h2>
              <button type="button" className="btn btn-small btn-primary" onClick={addCritique} disabled={!writable} title="Add critique on the selected words (C)">
                + Add critique <kbd>C</kbd>
              </button>
            </header>
            <CritiquePanel
              items={room.items}
              orphaned={orphanMap}
              selectedId={selectedId}
              fps={fps}
              primitives={primitives}
              editable={writable}
              lintText={lintText}
              onSelect={(id) => selectItem(id, { seek: true })}
              onUpdate={update}
              onDelete={(id) => {
                removeCritiqueItem(room.doc, id);
                setSelectedId(null);
              }}
              onMark={mark}
              whatFieldRef={whatFieldRef}
            />
          </section>
          <section className="card score-card" aria-label="Score">
            <span className="score-label">Draft score</span>
            <div className="score" role="radiogroup" aria-label="Score the draft, 5 = perfect">
              {[1, 2, 3, 4, 5].map((n) => (
                <button
                  key={n}
                  type="button"
                  role="radio"
                  aria-checked={score === n}
                  className={`score-btn${score === n ? " score-on" : ""}`}
                  disabled={!canScore}
                  onClick={() => submitScore(n)}
                  title={n === 5 ? "5: perfect, no critique needed" : `${n}`}
                >
                  {n}
                </button>
              ))}
            </div>
            <span className="muted small">5 = perfect</span>
          </section>
          {/* Review: the reviewer records catches and decides, the annotator sees them live and disputes, leads rule. */}
          {(task.relation === "reviewer" || task.relation === "annotator" || task.relation === "lead" || task.relation === "admin") && (
            <CatchesPanel
              taskId={task.id}
              me={{ id: self.id, role: self.role }}
              task={reviewTask}
              items={catchItems}
              target={catchTarget}
              refreshKey={catchesVersion}
              onTaskChanged={reloadReviewTask}
            />
          )}
          {/* Private trainer ↔ trainee coaching: kept out of the shared document, so others in the room never see it. */}
          {(task.relation === "trainer" || self.role === "trainee") && (
            <section className="card coaching-card" aria-label="Coaching">
              <CoachingPanel
                taskId={task.id}
                canWrite={task.relation === "trainer"}
                currentTime={() => player.currentTime()}
                onSpotlight={(s) => {
                  if (s.timeStart !== null) player.seek(s.timeStart);
                }}
              />
            </section>
          )}
        </section>
      </div>
      {help && (
        <HelpOverlay
          onClose={() => {
            setHelp(false);
            rootRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}
