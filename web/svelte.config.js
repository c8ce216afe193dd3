/** Svelte compiler settings for the web app: runes mode everywhere (Svelte 5). */
export default {
  compilerOptions: { runes: true },
};
