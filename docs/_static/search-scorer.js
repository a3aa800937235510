// Search ranking for the handbook (Sphinx's html_search_scorer): Sphinx's default
// weights, then the pages in tiers. A glossary term or an API object named like the
// query is an index entry or an object to Sphinx, which ranks it above every page that
// explains the idea; a learner looking for "dropout" wants the chapter first. Results
// therefore come in this order, each tier ranked by Sphinx's score (at most a few
// hundred): the chapters, the other pages, the gallery's examples, then the reference
// pages (the glossary and the rest of the appendix, the API). A query that names a
// glossary term gets the term's home section above all of them (glossary-search.js).
var Scorer = {
  tiers: [/^chapters\//, /^(?!chapters\/|auto_examples\/|appendix\/|api\/)/, /^auto_examples\//],
  score: (result) => {
    const [docname, , , , score] = result;
    const tier = Scorer.tiers.findIndex((pattern) => pattern.test(docname));
    return score - 1000 * (tier === -1 ? Scorer.tiers.length : tier);
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
