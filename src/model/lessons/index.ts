/**
 * The built-in lessons: plain lesson data (src/model/lesson.ts), validated and resolved like a
 * file when played (tests/unit/lesson.test.ts checks that each one loads).
 */
import { clusteringLesson } from './clustering';
import { headsLesson } from './heads';
import { stabilityLesson } from './stability';

/** Lesson data as written (checked by the validator when loaded). */
export interface LessonData {
  lesson: 1;
  title: string;
  description?: string;
  steps: Record<string, unknown>[];
}

export interface BuiltinLesson {
  id: string;
  lesson: LessonData;
}

export const BUILTIN_LESSONS: readonly BuiltinLesson[] = [
  { id: 'clustering', lesson: clusteringLesson },
  { id: 'heads', lesson: headsLesson },
  { id: 'stability', lesson: stabilityLesson },
];
