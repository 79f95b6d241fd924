/** What a Docker engine's name may be (kept free of zod: the CLI checks it before loading the rest). */
export const ENGINE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const ENGINE_NAME_RULE = 'must be 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit';
