import { describe, expect, it } from "vitest";
import type { CaptionFacts } from "../captionFacts";
import { EMPTY_FACTS } from "../captionFacts";
import {
  SINGULAR_VERBS,
  agreementErrors,
  findSlots,
  joinSubjects,
  parsePhrasing,
  phrasingError,
  phrasingMentions,
  phrasingVerbs,
  pluralVerb,
  pronounForm,
  realizePhrasing,
  realizePhrasingWithReasons,
  thirdPersonSingular,
} from "./phrasing";

const man: CaptionFacts = { subjects: [{ phrase: "the man in the grey coat", plural: false, pronoun: "he" }], setting: "on a pebble beach" };
const posts: CaptionFacts = { subjects: [{ phrase: "the orange posts", plural: true, pronoun: "they" }], setting: null };
const pair: CaptionFacts = {
  subjects: [
    { phrase: "a woman", plural: false, pronoun: "she" },
    { phrase: "a dog", plural: false, pronoun: "it" },
  ],
  setting: "in a park",
};

describe("verb agreement", () => {
  it.each([
    ["stays", "stay"],
    ["watches", "watch"],
    ["carries", "carry"],
    ["goes", "go"],
    ["is", "are"],
    ["has", "have"],
    ["does", "do"],
    ["was", "were"],
    ["passes", "pass"],
    ["buzzes", "buzz"],
    ["fixes", "fix"],
    ["flies", "fly"],
    ["lies", "lie"],
    ["dies", "die"],
    ["closes", "close"],
    ["rises", "rise"],
    ["freezes", "freeze"],
    ["sees", "see"],
    ["pushes", "push"],
    ["echoes", "echo"],
    ["tiptoes", "tiptoe"],
    ["undergoes", "undergo"],
    ["focuses", "focus"],
    ["aches", "ache"],
    ["dollies", "dolly"],
    ["plays", "play"],
  ])("%s → %s", (singular, plural) => {
    expect(pluralVerb(singular)).toBe(plural);
  });

  it("refuses words that are not third-person-singular forms", () => {
    for (const w of ["walk", "can", "pass", "focus", "this", "a", "", "two words", "x"]) expect(pluralVerb(w), w).toBeNull();
  });

  it("inflects base verbs and undoes it for every verb it knows", () => {
    expect(["walk", "watch", "carry", "go", "be", "have", "do", "buzz", "fix", "play", "pass"].map(thirdPersonSingular)).toEqual([
      "walks", "watches", "carries", "goes", "is", "has", "does", "buzzes", "fixes", "plays", "passes",
    ]);
    for (const v of SINGULAR_VERBS) expect(thirdPersonSingular(pluralVerb(v) ?? ""), v).toBe(v);
    expect(SINGULAR_VERBS.has("stays")).toBe(true);
    expect(SINGULAR_VERBS.has("posts")).toBe(false);
  });
});

describe("parsing", () => {
  it("reads slots, verbs, pronouns and groups", () => {
    const p = parsePhrasing("<subject> {walks} [<direction>] and waves at <them>");
    expect(p.parts).toEqual([
      { kind: "fact", slot: "subject" },
      { kind: "text", text: " " },
      { kind: "verb", singular: "walks", plural: "walk" },
      { kind: "text", text: " " },
      { kind: "group", parts: [{ kind: "open", name: "direction" }] },
      { kind: "text", text: " and waves at " },
      { kind: "pronoun", slot: "them" },
    ]);
    expect(p.openSlots).toEqual(["direction"]);
    expect(phrasingVerbs(p)).toEqual(["walks"]);
  });

  it.each([
    ["a crowd of <people|spectators in <clothing>>", /do not nest/],
    ["<subject walks", /unbalanced "<"/],
    ["subject> walks", /unbalanced ">"/],
    ["<subject> {walks", /unbalanced "\{"/],
    ["<subject> walks}", /unbalanced "\}"/],
    ["<subject> {walks slowly}", /one word/],
    ["<subject> {walk}", /third-person-singular/],
    ["<subject> {Walks}", /lower-case/],
    ["<subject> walks [toward [<direction>]]", /groups do not nest/],
    ["<subject> walks [toward <direction>", /unbalanced "\["/],
    ["<subject> walks toward <direction>]", /unbalanced "\]"/],
    ["<subject> walks []", /empty group/],
    ["<subject> walks <>", /empty slot/],
    ["a wide shot of <subject> in <place>", /<setting>/],
    ["<Subject> walks", /write <subject>/],
    ["<subject> waves <his|her> hand", /pronoun slot/],
    ["<subject> waves <its> paw", /pronoun slot/],
    ["<location> is wet", /<setting>/],
  ])("rejects %s", (source, message) => {
    expect(phrasingError(source)).toMatch(message);
  });

  it("accepts plain text and old-style open slots that are not fact-like", () => {
    expect(phrasingError("the camera is static")).toBeNull();
    expect(phrasingError("<subject> {rides} <vehicle|animal> [<direction>]")).toBeNull();
  });
});

describe("realizing", () => {
  it("fills facts, agrees verbs and pronouns with the subject's number", () => {
    const p = "<subject> {stays} still and {keeps} <their> place";
    expect(realizePhrasing(p, man)).toBe("the man in the grey coat stays still and keeps his place");
    expect(realizePhrasing(p, posts)).toBe("the orange posts stay still and keep their place");
  });

  it("joins several subjects, which take a plural verb and 'they'", () => {
    expect(realizePhrasing("<subjects> {is} in the foreground, facing <themselves> in a mirror", pair)).toBe(
      "a woman and a dog are in the foreground, facing themselves in a mirror",
    );
    expect(realizePhrasing("<subjects> {is} here", man)).toBe("the man in the grey coat is here");
  });

  it("drops a group whose slot cannot be filled, with the space before it", () => {
    expect(realizePhrasing("<subject> {walks} [<direction>], then {stops}", posts)).toBe("the orange posts walk, then stop");
    expect(realizePhrasing("the camera is above the ground [<setting>]", posts)).toBe("the camera is above the ground");
    expect(realizePhrasing("the camera is above the ground [<setting>]", man)).toBe("the camera is above the ground on a pebble beach");
  });

  it("leaves the sentence out when a slot outside any group cannot be filled", () => {
    expect(realizePhrasing("<subject> {stands}", EMPTY_FACTS)).toBeNull();
    expect(realizePhrasing("the scene is <setting>", posts)).toBeNull();
    expect(realizePhrasing("<subject> {points} at <target>", man)).toBeNull();
    expect(realizePhrasingWithReasons("<subject> {sits} on <surface> [<setting>]", EMPTY_FACTS).missing).toEqual(["subjects"]);
    const partly = realizePhrasingWithReasons("<subject> {sits} [on <surface>] [<setting>]", posts);
    expect(partly.text).toBe("the orange posts sit");
    expect(partly.missing.sort()).toEqual(["detail", "setting"]);
  });

  it("fills the one open slot with the note, never two open slots", () => {
    expect(realizePhrasing("<subject> {points} at <target>", posts, "the red door.")).toBe("the orange posts point at the red door");
    expect(realizePhrasing("<subject> {points} at <target> with <hand>", posts, "the red door")).toBeNull();
    expect(realizePhrasing("<subject> {walks} [<direction>]", man, "toward the sea")).toBe("the man in the grey coat walks toward the sea");
    // A note holding grammar marks is not written.
    expect(realizePhrasing("<subject> {points} at <target>", man, "the <thing>")).toBeNull();
  });

  it("fixes the article at a filled slot or a dropped group, and the plural possessive", () => {
    expect(realizePhrasing("<subject> {holds} a <colour> ball", man, "orange")).toBe("the man in the grey coat holds an orange ball");
    expect(realizePhrasing("an [<colour>] ball", man)).toBe("a ball");
    expect(realizePhrasing("<subject>'s face is lit", posts)).toBe("the orange posts' face is lit");
    expect(realizePhrasing("<subject>'s face is lit", man)).toBe("the man in the grey coat's face is lit");
  });

  it("agrees with the nearest subject slot, else the first subject", () => {
    expect(realizePhrasing("the camera follows <subjects> as <they> {moves}", pair)).toBe("the camera follows a woman and a dog as they move");
    expect(realizePhrasing("the camera follows <subject> as <they> {moves}", pair)).toBe("the camera follows a woman as she moves");
    expect(realizePhrasing("nothing but <them> {moves}", posts)).toBe("nothing but them move");
  });

  it("treats a singular subject referred to as 'they' as singular after its noun and plural after the pronoun", () => {
    const person: CaptionFacts = { subjects: [{ phrase: "the person in the red hat", plural: false, pronoun: "they" }], setting: null };
    expect(realizePhrasing("<subject> {waves} as <they> {walks} past <themselves> in the glass", person)).toBe(
      "the person in the red hat waves as they walk past themselves in the glass",
    );
    expect(agreementErrors("The person in the red hat waves as they walk.", person)).toEqual([]);
  });

  it("gives pronoun forms", () => {
    expect(pronounForm("she", "their")).toBe("her");
    expect(pronounForm("it", "themselves")).toBe("itself");
    expect(pronounForm("he", "them")).toBe("him");
  });

  it("joins subject phrases as a list", () => {
    expect(joinSubjects([])).toBe("");
    expect(joinSubjects(["a man"])).toBe("a man");
    expect(joinSubjects(["a man", "a dog"])).toBe("a man and a dog");
    expect(joinSubjects(["a man", "a dog", "two posts"])).toBe("a man, a dog and two posts");
    expect(joinSubjects(pair.subjects)).toBe("a woman and a dog");
  });
});

describe("checks on finished text", () => {
  it("finds slot leftovers", () => {
    expect(findSlots("A wide shot of <subject> in <place>. The posts {stays}.")).toEqual(["<subject>", "<place>", "{stays}"]);
    expect(findSlots("The orange posts stay still. 3 < 4 and 5 > 2")).toEqual([]);
  });

  it("finds plural subjects followed by a singular verb, and nothing else", () => {
    expect(agreementErrors("The orange posts stays still.", posts)).toHaveLength(1);
    expect(agreementErrors("The orange posts stays still.", posts)[0]).toMatch(/"The orange posts stays"/);
    expect(agreementErrors("The orange posts stay still. They are orange.", posts)).toEqual([]);
    expect(agreementErrors("They is orange.", EMPTY_FACTS)).toHaveLength(1);
    expect(agreementErrors("A woman and a dog walks.", pair)).toHaveLength(1);
    expect(agreementErrors("A woman walks; a dog runs.", pair)).toEqual([]);
    expect(agreementErrors("The orange posts glimmers.", posts)).toEqual([]);
    expect(agreementErrors("The orange posts glimmers.", posts, ["glimmers"])).toHaveLength(1);
  });

  it("gives a phrasing's word-for-word mentions when it needs no facts", () => {
    expect(phrasingMentions("the camera is static")).toEqual(["the camera is static"]);
    expect(phrasingMentions("nothing {moves} [besides <what moves>]")).toEqual(["nothing moves", "nothing move"]);
    expect(phrasingMentions("<subject> {stays} still")).toEqual([]);
    expect(phrasingMentions("a <broken")).toEqual([]);
  });
});
