/**
 * Letters of the scripts written right to left (Arabic, Hebrew, Syriac, Thaana, N'Ko, Samaritan,
 * Mandaic, Adlam), with their presentation forms: text with any needs its direction looked after
 * (isolated on the pages, reordered in the CV PDF).
 */
export const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}]/u;
