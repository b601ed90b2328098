export const INPUT_GUARD = Symbol('INPUT_GUARD');
export const OUTPUT_GUARD = Symbol('OUTPUT_GUARD');
