// Prints the tables the Agora RTM 1.x docs show, from the records the type test keeps complete
// (test/types/agora-migration.ts, test/types/agora-compat.ts):
//   node --import tsx scripts/agora-migration.mjs            README.md's migration table
//   node --import tsx scripts/agora-migration.mjs differences  docs/agora-compat.md's table
import { differencesTable, migrationTable } from '../test/types/agora-migration.ts';

console.log(process.argv[2] === 'differences' ? differencesTable() : migrationTable());
