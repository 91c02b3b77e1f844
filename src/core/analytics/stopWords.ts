/** The default English stop words: function words that say nothing about what a caption shows. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(`
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each either few for from further had has
have having he her here hers herself him himself his how however i if in into is it its itself just
me more most my myself neither no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up upon very via was we were what when where which while who whom
why will with within without would yet you your yours yourself yourselves
`.trim().split(/\s+/));
