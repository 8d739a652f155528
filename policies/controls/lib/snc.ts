import type { SncChapter, SncReference } from "../../types";

/**
 * Where every verified section number was confirmed: the text of the referential (v3.2, 8 March 2022)
 * as transcribed, section by section, in a public compliance library.
 */
const TRANSCRIPTION =
  "ANSSI, « Prestataires de services d'informatique en nuage (SecNumCloud) – référentiel d'exigences », version 3.2 du 8 mars 2022, as transcribed in github.com/intuitem/ciso-assistant-community, backend/library/libraries/secnumcloud-3.2.yaml (commit 496d35463dc516f77267add494f6b4281cd65177)";

/** A section whose number and title the public transcription confirms. */
export function verifiedSection(chapter: SncChapter, section: string, sectionTitle: string): SncReference {
  return { chapter, section, verified: true, source: `${TRANSCRIPTION}, §${section} « ${sectionTitle} »` };
}

/** Only the chapter: the mapping to a section is our reading, not confirmed by a public source. */
export const chapterOnly = (chapter: SncChapter): SncReference => ({ chapter, verified: false });
