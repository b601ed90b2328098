export const INPUT_GUARD = Symbol('INPUT_GUARD');
