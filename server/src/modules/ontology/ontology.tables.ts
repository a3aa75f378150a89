import { boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/** HPO and MONDO terms imported from OBO files. */
export const ontologyTerms = pgTable('ontology_terms', {
  curie: text('curie').primaryKey(),
  ontology: text('ontology').notNull(),
  label: text('label').notNull(),
  obsolete: boolean('obsolete').notNull().default(false),
});

/** is_a edges: `child` is_a `parent`. Ancestry is computed in memory from these. */
export const ontologyParents = pgTable(
  'ontology_parents',
  {
    child: text('child')
      .notNull()
      .references(() => ontologyTerms.curie),
    parent: text('parent')
      .notNull()
      .references(() => ontologyTerms.curie),
  },
  (t) => [
    primaryKey({ columns: [t.child, t.parent] }),
    index('ontology_parents_parent_idx').on(t.parent),
  ],
);
