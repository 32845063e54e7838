/**
 * The Lesson folder of the GUI and lesson links. The folder picks a built-in lesson
 * (src/model/lessons) and plays it, imports a lesson file (parsed as JSON and validated, never
 * evaluated), exports the open lesson as a file and copies a link to it: `?lesson=<built-in id>`
 * or `?lesson=z1.…` (the lesson's JSON, compressed as scenario links are). A refused file or
 * link shows a banner naming the field and changes nothing: the run, the open lesson and its
 * step stay as they were.
 */
import type GUI from 'lil-gui';
import { type Lesson, LessonError, lessonFile } from '../model/lesson';
import { BUILTIN_LESSONS } from '../model/lessons';
import { decodeText, encodeText, MAX_SHARED_BYTES } from '../model/share';
import { downloadBlob, exportFilename } from '../record/export';
import { describeLessonError, loadLesson, loadLessonJson, type ResolvedLesson } from '../ui/lesson-steps';
import { jsonFileInput } from '../ui/dom';
import type { Banners } from './banners';
import type { LessonPlayer } from './lesson-player';
import { LONG_LINK } from './share-panel';

const BANNER = 'lesson';

/** What the folder acts on. */
export interface LessonPanelDeps {
  player: LessonPlayer;
  banners: Banners;
}

/** The folder's state, for the test hook. */
export interface LessonPanelState {
  /** The last link made by "copy lesson link". */
  link: string;
}

/** A built-in lesson by id, resolved. */
function builtin(id: string): ResolvedLesson | undefined {
  const b = BUILTIN_LESSONS.find((l) => l.id === id);
  return b ? loadLesson(b.lesson) : undefined;
}

/** The lesson of a `lesson` URL parameter: a built-in id or a `z1.` link (throws LessonError). */
export async function lessonFromParam(param: string): Promise<ResolvedLesson> {
  const b = builtin(param);
  if (b) return b;
  let text: string;
  try {
    text = await decodeText(param);
  } catch (e) {
    throw new LessonError([
      {
        field: 'url',
        expected: `a built-in lesson id (${BUILTIN_LESSONS.map((l) => l.id).join(', ')}) or a lesson link`,
        message: `url: the lesson link is not a built-in lesson and cannot be decoded (${(e as Error).message})`,
      },
    ]);
  }
  return loadLessonJson(text);
}

/** A lesson's link: the built-in id when it is one, unchanged, else its compressed JSON. */
export async function lessonUrl(base: string, l: Lesson): Promise<string> {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  const text = JSON.stringify(l);
  const b = BUILTIN_LESSONS.find((x) => JSON.stringify(loadLesson(x.lesson).lesson) === text);
  url.searchParams.set('lesson', b ? b.id : await encodeText(text));
  return url.toString();
}

/** Adds the Lesson folder; returns its state. */
export function addLessonPanel(gui: GUI, deps: LessonPanelDeps): LessonPanelState {
  const { player, banners } = deps;
  const state: LessonPanelState = { link: '' };
  const refused = (what: string, e: unknown): void =>
    banners.show(BANNER, 'error', `${what} not loaded: ${describeLessonError(e)}. Nothing was changed.`);

  const input = jsonFileInput('lesson-file', (file) => void importFile(file));
  const importFile = async (file: File): Promise<void> => {
    let l: ResolvedLesson;
    try {
      if (file.size > MAX_SHARED_BYTES) throw new Error(`the file is larger than ${MAX_SHARED_BYTES} bytes`);
      l = loadLessonJson(await file.text());
    } catch (e) {
      refused(`Lesson file "${file.name.slice(0, 80)}"`, e);
      return;
    }
    banners.clear(BANNER);
    await player.open(l);
  };

  const open = (): ResolvedLesson | undefined => {
    const l = player.lesson;
    if (!l) banners.show(BANNER, 'error', 'No lesson is open: play a built-in lesson or import one first.');
    return l;
  };
  const choice = { lesson: BUILTIN_LESSONS[0]?.id ?? '' };
  const actions = {
    play: () => {
      const l = builtin(choice.lesson);
      if (!l) return;
      banners.clear(BANNER);
      void player.open(l);
    },
    importJson: () => input.click(),
    exportJson: () => {
      const l = open();
      if (!l) return;
      downloadBlob(
        new Blob([lessonFile(l.lesson)], { type: 'application/json' }),
        exportFilename(`${l.lesson.title}-lesson`, 0, 'json'),
      );
    },
    copyLink: async () => {
      const l = open();
      if (!l) return;
      const link = await lessonUrl(location.href, l.lesson);
      state.link = link;
      const long = link.length > LONG_LINK ? ` It is long (${link.length} characters): export the file instead.` : '';
      try {
        await navigator.clipboard.writeText(link);
        banners.show(BANNER, 'notice', `Link to this lesson copied (${link.length} characters).${long}`);
      } catch {
        history.replaceState(null, '', link);
        banners.show(BANNER, 'notice', `The clipboard is not available; the lesson link is in the address bar.${long}`);
      }
    },
  };
  const folder = gui.addFolder('Lesson').close();
  folder.add(choice, 'lesson', Object.fromEntries(BUILTIN_LESSONS.map((l) => [l.lesson.title, l.id]))).name('built-in');
  folder.add(actions, 'play').name('play lesson  (← →)');
  folder.add(actions, 'importJson').name('import lesson JSON…');
  folder.add(actions, 'exportJson').name('export lesson JSON');
  folder.add(actions, 'copyLink').name('copy lesson link');
  return state;
}

/** Opens the lesson of the page's `?lesson=` parameter, if any; a refused one leaves a banner and the run as it is. */
export async function openLessonParam(player: LessonPlayer, banners: Banners): Promise<void> {
  const param = new URLSearchParams(location.search).get('lesson');
  if (param === null) return;
  let l: ResolvedLesson;
  try {
    l = await lessonFromParam(param);
  } catch (e) {
    banners.show(BANNER, 'error', `The lesson link was not loaded: ${describeLessonError(e)}. Nothing was changed.`);
    return;
  }
  await player.open(l);
}
