/** The module web/vite-plugin-lessons.ts generates from the lessons/ folder. */
declare module 'virtual:smtp-lab-lessons' {
  export const compiledCourse: import('./compiled-course.ts').CompiledCourse;
}
