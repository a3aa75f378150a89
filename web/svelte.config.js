import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // SvelteKit's default origin check protects form actions from cross-site posts; keep it.
    adapter: adapter({ out: 'build' }),
  },
};

export default config;
