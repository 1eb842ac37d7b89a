package sql

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/permcat/permcat/internal/dbtest"
	"github.com/permcat/permcat/schema"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Run(m)) }

// render returns the schema and seed of cat for one dialect.
func render(t *testing.T, cat *schema.Catalog, dialect, prefix string) (schemaSQL, seedSQL string) {
	t.Helper()
	files, err := Generate(cat, Options{Dialects: []string{dialect}, Prefix: prefix})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	for _, f := range files {
		switch f.Path {
		case dialect + "/schema.sql":
			schemaSQL = string(f.Content)
		case dialect + "/seed.sql":
			seedSQL = string(f.Content)
		}
	}
	if schemaSQL == "" || seedSQL == "" {
		t.Fatalf("Generate returned %d files without %s/schema.sql and seed.sql", len(files), dialect)
	}
	return schemaSQL, seedSQL
}

// apply loads cat's schema and seed into db, failing the test on error.
func apply(t *testing.T, db testDB, cat *schema.Catalog, prefix string) {
	t.Helper()
	if err := tryApply(t, db, cat, prefix); err != nil {
		t.Fatalf("%s: loading catalog %s: %v", db.dialect(), cat.Name, err)
	}
}

func tryApply(t *testing.T, db testDB, cat *schema.Catalog, prefix string) error {
	t.Helper()
	schemaSQL, seedSQL := render(t, cat, db.dialect(), prefix)
	if err := db.exec(schemaSQL); err != nil {
		t.Fatalf("%s: schema.sql failed: %v", db.dialect(), err)
	}
	return db.exec(seedSQL)
}

// eachDialect runs f in a subtest per dialect, each with a fresh database.
// The subtests run in parallel: they share nothing but the servers.
func eachDialect(t *testing.T, f func(t *testing.T, db testDB)) {
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			f(t, openDB(t, d))
		})
	}
}

func TestLoadingTheSeedTwiceLeavesExactlyTheCatalog(t *testing.T) {
	eachDialect(t, func(t *testing.T, db testDB) {
		cat := shopV1()
		apply(t, db, cat, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, cat)
		apply(t, db, cat, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, cat)
	})
}

// appDDL creates an application's own tables that reference permission and
// group keys the way the schema's comments recommend.
func appDDL(dialect, prefix string) string {
	switch dialect {
	case "mysql":
		return strings.NewReplacer("P_", prefix).Replace(`
CREATE TABLE app_grants (
    user_id INT NOT NULL,
    permission_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    FOREIGN KEY (permission_key) REFERENCES P_permissions (` + "`key`" + `) ON UPDATE CASCADE
) ENGINE=InnoDB;
CREATE TABLE app_sections (
    user_id INT NOT NULL,
    group_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    FOREIGN KEY (group_key) REFERENCES P_groups (` + "`key`" + `) ON UPDATE CASCADE
) ENGINE=InnoDB;`)
	default:
		return strings.NewReplacer("P_", prefix).Replace(`
CREATE TABLE app_grants (
    user_id integer NOT NULL,
    permission_key text NOT NULL REFERENCES P_permissions ("key") ON UPDATE CASCADE
);
CREATE TABLE app_sections (
    user_id integer NOT NULL,
    group_key text NOT NULL REFERENCES P_groups ("key") ON UPDATE CASCADE
);`)
	}
}

func appRows(t *testing.T, db testDB) (grants, sections []string) {
	t.Helper()
	var err error
	if grants, err = db.table("app_grants", []string{"user_id", "permission_key"}); err != nil {
		t.Fatal(err)
	}
	if sections, err = db.table("app_sections", []string{"user_id", "group_key"}); err != nil {
		t.Fatal(err)
	}
	return grants, sections
}

// pair encodes an application row as db.table returns it.
func pair(user, key string) string { return encodeRow([]*string{&user, &key}) }

func sameRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if missing, extra := diffRows(want, got); len(missing)+len(extra) > 0 {
		t.Errorf("%s:\n  missing: %s\n  unexpected: %s", what, showRows(missing), showRows(extra))
	}
}

func TestUpgradeCarriesApplicationRowsAlongRenamesAndLeavesExactlyV2(t *testing.T) {
	eachDialect(t, func(t *testing.T, db testDB) {
		v1, v2 := shopV1(), shopV2()
		apply(t, db, v1, DefaultPrefix)
		if err := db.exec(appDDL(db.dialect(), DefaultPrefix) + `
INSERT INTO app_grants VALUES (1, 'customers.edit'), (1, 'integrations.hypur.edit'), (2, 'integrations.metrc.view');
INSERT INTO app_sections VALUES (1, 'integrations.hypur'), (2, 'customers');`); err != nil {
			t.Fatal(err)
		}
		apply(t, db, v2, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, v2)
		grants, sections := appRows(t, db)
		sameRows(t, "application grants after the upgrade", grants, []string{
			pair("1", "customers.edit_profile"), pair("1", "integrations.posabit_pay.edit"), pair("2", "integrations.metrc.view"),
		})
		sameRows(t, "application sections after the upgrade", sections, []string{
			pair("1", "integrations.posabit_pay"), pair("2", "customers"),
		})
		apply(t, db, v2, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, v2)
	})
}

func TestASeedThatWouldOrphanApplicationRowsFailsAndChangesNothing(t *testing.T) {
	eachDialect(t, func(t *testing.T, db testDB) {
		v1, v2 := shopV1(), shopV2()
		apply(t, db, v1, DefaultPrefix)
		// legacy_sync is gone in v2, and this row has no ON DELETE CASCADE.
		if err := db.exec(appDDL(db.dialect(), DefaultPrefix) + `
INSERT INTO app_grants VALUES (1, 'customers.edit'), (3, 'integrations.metrc.legacy_sync');
INSERT INTO app_sections VALUES (1, 'integrations.hypur');`); err != nil {
			t.Fatal(err)
		}
		err := tryApply(t, db, v2, DefaultPrefix)
		if err == nil {
			t.Fatal("the v2 seed deleted a permission an application row still references")
		}
		if !strings.Contains(strings.ToLower(err.Error()), "foreign key") {
			t.Fatalf("the v2 seed failed, but not on the application's foreign key: %v", err)
		}
		checkContents(t, db, DefaultPrefix, v1)
		grants, sections := appRows(t, db)
		sameRows(t, "application grants after the failed seed", grants, []string{
			pair("1", "customers.edit"), pair("3", "integrations.metrc.legacy_sync"),
		})
		sameRows(t, "application sections after the failed seed", sections, []string{pair("1", "integrations.hypur")})

		// Once the application lets go of the key, the same seed goes through.
		if err := db.exec("DELETE FROM app_grants WHERE user_id = 3;"); err != nil {
			t.Fatal(err)
		}
		apply(t, db, v2, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, v2)
	})
}

func TestHostileStringsRoundTripByteForByte(t *testing.T) {
	eachDialect(t, func(t *testing.T, db testDB) {
		cat := hostileCatalog()
		apply(t, db, cat, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, cat)
		apply(t, db, cat, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, cat)
	})
}

func TestPsqlAppliesTheFilesAsWritten(t *testing.T) {
	// psql has its own lexer (variables, backslash commands): the files
	// must mean the same to it as to the server.
	dsn := dbtest.StartPostgres(t)
	for _, cat := range []*schema.Catalog{hostileCatalog(), shopV1(), shopV2()} {
		schemaSQL, seedSQL := render(t, cat, "postgres", DefaultPrefix)
		for _, script := range []string{schemaSQL, seedSQL} {
			if out, err := dbtest.RunPsql(t, dsn, script); err != nil {
				t.Fatalf("psql: %v\n%s", err, out)
			}
		}
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		checkContents(t, &pgDB{conn: conn}, DefaultPrefix, cat)
		conn.Close(context.Background())
	}
}

func TestASecondRunOnPostgresRewritesNoRow(t *testing.T) {
	// xmin changes whenever PostgreSQL writes a new version of a row, so
	// equal xmins prove the rerun was a true no-op, not a same-value rewrite.
	db := openDB(t, "postgres").(*pgDB)
	cat := shopV2()
	apply(t, db, shopV1(), DefaultPrefix)
	apply(t, db, cat, DefaultPrefix)
	snapshot := func() map[string][]string {
		out := map[string][]string{}
		for _, tb := range permcatTables {
			rows, err := db.table(DefaultPrefix+tb.name, append([]string{"xmin"}, tb.cols...))
			if err != nil {
				t.Fatal(err)
			}
			out[tb.name] = rows
		}
		return out
	}
	before := snapshot()
	apply(t, db, cat, DefaultPrefix)
	after := snapshot()
	for _, tb := range permcatTables {
		sameRows(t, "row versions of "+tb.name+" after a second run", after[tb.name], before[tb.name])
	}
}

func TestStringsSurviveServersThatReadBackslashesDifferently(t *testing.T) {
	// Both quoting modes of each server must read the same bytes: the
	// files cannot know how the server they meet is configured.
	cat := hostileCatalog()
	t.Run("postgres without standard_conforming_strings", func(t *testing.T) {
		db := openDB(t, "postgres")
		if err := db.exec("SET standard_conforming_strings = off; SET escape_string_warning = off;"); err != nil {
			t.Fatal(err)
		}
		apply(t, db, cat, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, cat)
	})
	t.Run("mysql with NO_BACKSLASH_ESCAPES and ANSI_QUOTES", func(t *testing.T) {
		db := openDB(t, "mysql")
		schemaSQL, seedSQL := render(t, cat, "mysql", DefaultPrefix)
		mode := "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES,ANSI_QUOTES');\n"
		for _, script := range []string{schemaSQL, seedSQL} {
			if err := db.exec(mode + script); err != nil {
				t.Fatal(err)
			}
		}
		checkContents(t, db, DefaultPrefix, cat)
	})
}

func TestACatalogThatDropsEverythingEmptiesTheTables(t *testing.T) {
	eachDialect(t, func(t *testing.T, db testDB) {
		apply(t, db, shopV1(), DefaultPrefix)
		empty := newFixture("shop").done()
		apply(t, db, empty, DefaultPrefix)
		checkContents(t, db, DefaultPrefix, empty)
		for _, tb := range permcatTables {
			rows, err := db.table(DefaultPrefix+tb.name, tb.cols)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 0 {
				t.Errorf("%s still holds %d rows", tb.name, len(rows))
			}
		}
	})
}

// The sqlite3 shell without -bail runs on past a failed statement and
// then runs COMMIT. A foreign key an application row still holds must not
// leave the seed half applied that way: the violation is checked at
// COMMIT, which fails, and closing the connection rolls the rest back.
func TestASQLiteSeedRunOnPastItsErrorsStillChangesNothing(t *testing.T) {
	d := openDB(t, "sqlite").(*sqliteDB)
	apply(t, d, shopV1(), DefaultPrefix)
	if err := d.exec(appDDL("sqlite", DefaultPrefix) + `
INSERT INTO app_grants VALUES (1, 'customers.edit'), (3, 'integrations.metrc.legacy_sync');`); err != nil {
		t.Fatal(err)
	}
	_, seed := render(t, shopV2(), "sqlite", DefaultPrefix)
	failed := 0
	// As the shell does: statement after statement, whatever failed. The
	// shop seed holds no ";\n" inside a literal, so this split is exact.
	for _, stmt := range strings.SplitAfter(seed, ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := d.db.Exec(stmt); err != nil {
			failed++
			if !strings.Contains(strings.ToLower(err.Error()), "foreign key") {
				t.Errorf("a statement failed on something else than the foreign key: %v\n%s", err, stmt)
			}
		}
	}
	if failed != 1 {
		t.Errorf("%d statements failed; want 1, the COMMIT", failed)
	}
	_, _ = d.db.Exec("ROLLBACK") // what closing the shell's connection does
	checkContents(t, d, DefaultPrefix, shopV1())
}
