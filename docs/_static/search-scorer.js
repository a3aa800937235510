// Search ranking for the handbook (Sphinx's html_search_scorer): Sphinx's default
// weights, plus one rule. A glossary term or an API object named like the query is an
// index entry or an object to Sphinx, which ranks it above every page that explains the
// idea; a learner looking for "dropout" wants the chapter first. Results on the reference
// pages (appendix/, api/) therefore come after the chapters' results, still listed.
var Scorer = {
  score: (result) => {
    const [docname, , , , score] = result;
    return /^(appendix|api)\//.test(docname) ? score - 100 : score;
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
