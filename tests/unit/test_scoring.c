/* Unit tests: the scoring model of core/scoring.h (DESIGN.md "Rules and
 * scoring"): points, the XCCDF "default" weighted means, grades, every case
 * of the proposal, and "gain if fixed". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/scoring.h"

/* Two articles: article 1 weight 1 with items 1.1 (w1) and 1.2 (w3);
 * article 2 weight 3 with items 2.1 and 2.2 (w1 each). */
static const char means_text[] =
	"[checklist]\nid = t\ntitle = T\n[grades]\n优秀 = 90\n良好 = 80\n一般 = 60\n较差 = 0\n"
	"[part 1]\ntitle = P\n"
	"[article 1]\npart = 1\ntitle = A\ntext = x\nweight = 1\n"
	"[article 2]\npart = 1\ntitle = B\ntext = y\nweight = 3\n"
	"[item 1.1]\nquestion = q\n[item 1.2]\nquestion = q\nweight = 3\n"
	"[item 2.1]\nquestion = q\n[item 2.2]\nquestion = q\n";

/* Rule-linked items: 1.1 has a medium and a high rule, 1.2 none (manual),
 * 1.3 is a province's duty only, 2.1 has one low rule. */
#define RULE(id, art, sev) "[rule " id "]\narticle = " art "\ninventory = apps\nseverity = " sev \
	"\ntitle = t\nmessage = m\nwhen = in_plan = 0\n"
static const char rules_text[] =
	"[checklist]\nid = r\ntitle = R\n[grades]\n好 = 60\n差 = 0\n[scoring]\npartial_rate = 0.25\n"
	"[part 1]\ntitle = P\n"
	"[article 1]\npart = 1\ntitle = A\ntext = x\n"
	"[article 2]\npart = 1\ntitle = B\ntext = y\n"
	RULE("app.a", "1", "medium") RULE("app.h", "1", "high") RULE("app.b", "2", "low")
	"[item 1.1]\nquestion = q\nrules = app.a, app.h\n"
	"[item 1.2]\nquestion = q\n"
	"[item 1.3]\nquestion = q\nrules = app.a\nlevels = province\n"
	"[item 2.1]\nquestion = q\nrules = app.b\n";

/* The rules' bits in the apps findings masks, as a score would number them. */
#define BIT_A (1ull << 0)
#define BIT_H (1ull << 1)
#define BIT_B (1ull << 2)

static struct checklist *means, *rules;

static struct checklist *parse(const char *text, size_t len)
{
	struct zj_error err = { "" };
	struct checklist *cl = checklist_parse("s.zjc", text, len, &err);

	if (!cl)
		fail_msg("%s", err.msg);
	return cl;
}

static int setup(void **state)
{
	(void)state;
	means = parse(means_text, sizeof(means_text) - 1);
	rules = parse(rules_text, sizeof(rules_text) - 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	checklist_free(means);
	checklist_free(rules);
	return 0;
}

/* ---- points, means, grade ---- */

static void verdict_points(void **state)
{
	(void)state;
	assert_true(scoring_points(VERDICT_COMPLIANT) == 100);
	assert_true(scoring_points(VERDICT_PARTIAL) == 50);
	assert_true(scoring_points(VERDICT_NONCOMPLIANT) == 0);
	assert_true(scoring_points(VERDICT_NA) < 0);
	assert_true(scoring_points(VERDICT_NONE) < 0);
}

static void weighted_means(void **state)
{
	enum verdict v[4] = { VERDICT_COMPLIANT, VERDICT_PARTIAL, VERDICT_NONCOMPLIANT, VERDICT_COMPLIANT };
	double art[2], total;

	(void)state;
	scoring_compute(means, v, art, &total);
	/* (1*100 + 3*50) / 4 = 62.5; (0 + 100) / 2 = 50; (1*62.5 + 3*50) / 4 = 53.125 */
	assert_true(art[0] == 62.5);
	assert_true(art[1] == 50);
	assert_true(total == 53.125);
	assert_string_equal(scoring_grade(means, total), "较差");
}

static void not_applicable_is_excluded(void **state)
{
	enum verdict v[4] = { VERDICT_NA, VERDICT_PARTIAL, VERDICT_NA, VERDICT_NA };
	double art[2], total;

	(void)state;
	scoring_compute(means, v, art, &total);
	assert_true(art[0] == 50);	/* only 1.2 counts */
	assert_true(art[1] < 0);	/* nothing applicable: no score */
	assert_true(total == 50);	/* article 2 is left out, not counted as 0 */
}

static void unanswered_is_excluded_not_zero(void **state)
{
	enum verdict v[4] = { VERDICT_COMPLIANT, VERDICT_NONE, VERDICT_NONE, VERDICT_NONE };
	double art[2], total;

	(void)state;
	scoring_compute(means, v, art, &total);
	assert_true(art[0] == 100);
	assert_true(art[1] < 0);
	assert_true(total == 100);
	assert_string_equal(scoring_grade(means, total), "优秀");
}

static void nothing_answered_has_no_score(void **state)
{
	enum verdict v[4] = { VERDICT_NONE, VERDICT_NONE, VERDICT_NA, VERDICT_NONE };
	double art[2], total;

	(void)state;
	scoring_compute(means, v, art, &total);
	assert_true(total < 0);
	assert_null(scoring_grade(means, total));
}

static void grade_bands_are_inclusive(void **state)
{
	(void)state;
	assert_string_equal(scoring_grade(means, 100), "优秀");
	assert_string_equal(scoring_grade(means, 90), "优秀");
	assert_string_equal(scoring_grade(means, 89.99), "良好");
	assert_string_equal(scoring_grade(means, 80), "良好");
	assert_string_equal(scoring_grade(means, 60), "一般");
	assert_string_equal(scoring_grade(means, 59.9), "较差");
	assert_string_equal(scoring_grade(means, 0), "较差");
	assert_null(scoring_grade(means, -1));
}

static void answer_beats_proposal(void **state)
{
	(void)state;
	assert_int_equal(scoring_effective(VERDICT_NONE, VERDICT_NONCOMPLIANT), VERDICT_NONCOMPLIANT);
	assert_int_equal(scoring_effective(VERDICT_PARTIAL, VERDICT_NONCOMPLIANT), VERDICT_PARTIAL);
	assert_int_equal(scoring_effective(VERDICT_NA, VERDICT_COMPLIANT), VERDICT_NA);
	assert_int_equal(scoring_effective(VERDICT_NONE, VERDICT_NONE), VERDICT_NONE);
}

/* ---- proposals: one test per case of the table in scoring.h ---- */

static struct proposal propose(const char *item, struct proposal_counts c, int imported, enum level lv)
{
	const struct cl_item *it = checklist_item(rules, item);

	assert_non_null(it);
	return scoring_propose(rules, it, &c, imported, lv);
}

static void assert_proposal(struct proposal p, enum verdict v, enum proposal_basis b)
{
	assert_int_equal(p.verdict, v);
	assert_int_equal(p.basis, b);
}

static void proposal_level(void **state)
{
	(void)state;
	/* Not this level's duty: 不适用, whatever the counts say. */
	assert_proposal(propose("1.3", (struct proposal_counts){ 5, 5, 0, 5 }, 1, LEVEL_UNIT), VERDICT_NA, PB_LEVEL);
	assert_proposal(propose("1.3", (struct proposal_counts){ 0, 0, 0, 0 }, 0, LEVEL_CITY), VERDICT_NA, PB_LEVEL);
	/* At its level the item is proposed like any other. */
	assert_proposal(propose("1.3", (struct proposal_counts){ 5, 0, 0, 0 }, 1, LEVEL_PROVINCE),
			VERDICT_COMPLIANT, PB_CLEAN);
}

static void proposal_manual(void **state)
{
	(void)state;
	assert_proposal(propose("1.2", (struct proposal_counts){ 5, 5, 0, 5 }, 1, LEVEL_UNIT), VERDICT_NONE, PB_NONE);
	assert_null(proposal_basis_key(PB_NONE));
}

static void proposal_no_data_and_no_subjects(void **state)
{
	(void)state;
	/* Nothing in scope: without the inventory we know nothing ... */
	assert_proposal(propose("1.1", (struct proposal_counts){ 0, 0, 0, 0 }, 0, LEVEL_UNIT), VERDICT_NONE, PB_NO_DATA);
	/* ... with it, the item has nothing to apply to. */
	assert_proposal(propose("1.1", (struct proposal_counts){ 0, 0, 0, 0 }, 1, LEVEL_UNIT), VERDICT_NA, PB_NO_SUBJECTS);
}

static void proposal_high(void **state)
{
	(void)state;
	/* One high-severity violator among a hundred: 不符合, rate aside. */
	assert_proposal(propose("1.1", (struct proposal_counts){ 100, 1, 0, 1 }, 1, LEVEL_UNIT),
			VERDICT_NONCOMPLIANT, PB_HIGH);
	assert_proposal(propose("1.1", (struct proposal_counts){ 100, 1, 50, 1 }, 1, LEVEL_UNIT),
			VERDICT_NONCOMPLIANT, PB_HIGH);
}

static void proposal_rate(void **state)
{
	struct proposal_counts c = { 4, 1, 0, 0 };

	(void)state;
	/* partial_rate 0.25 is inclusive. */
	assert_true(scoring_violation_rate(&c) == 0.25);
	assert_proposal(propose("1.1", c, 1, LEVEL_UNIT), VERDICT_PARTIAL, PB_DECIDED_RATE);
	assert_proposal(propose("1.1", (struct proposal_counts){ 4, 2, 0, 0 }, 1, LEVEL_UNIT),
			VERDICT_NONCOMPLIANT, PB_DECIDED_RATE);
	assert_proposal(propose("1.1", (struct proposal_counts){ 4, 4, 0, 0 }, 1, LEVEL_UNIT),
			VERDICT_NONCOMPLIANT, PB_DECIDED_RATE);
	/* Subjects with missing data are not in the denominator: 1 of the
	 * 5 decided among 8 is 0.2. */
	c = (struct proposal_counts){ 8, 1, 3, 0 };
	assert_true(scoring_violation_rate(&c) == 0.2);
	assert_proposal(propose("1.1", c, 1, LEVEL_UNIT), VERDICT_PARTIAL, PB_DECIDED_RATE);
	/* One violation among thirty gaps is not 基本符合: it is the only
	 * subject whose answer is known. */
	c = (struct proposal_counts){ 31, 1, 30, 0 };
	assert_true(scoring_violation_rate(&c) == 1);
	assert_proposal(propose("1.1", c, 1, LEVEL_UNIT), VERDICT_NONCOMPLIANT, PB_DECIDED_RATE);
	c = (struct proposal_counts){ 0, 0, 0, 0 };
	assert_true(scoring_violation_rate(&c) < 0);
}

static void proposal_unknown_is_never_a_pass(void **state)
{
	(void)state;
	assert_proposal(propose("1.1", (struct proposal_counts){ 5, 0, 1, 0 }, 1, LEVEL_UNIT), VERDICT_NONE, PB_UNKNOWN);
	assert_proposal(propose("1.1", (struct proposal_counts){ 5, 0, 5, 0 }, 1, LEVEL_UNIT), VERDICT_NONE, PB_UNKNOWN);
}

static void proposal_clean(void **state)
{
	(void)state;
	assert_proposal(propose("1.1", (struct proposal_counts){ 5, 0, 0, 0 }, 1, LEVEL_UNIT), VERDICT_COMPLIANT, PB_CLEAN);
	/* imported only matters when nothing is in scope. */
	assert_proposal(propose("1.1", (struct proposal_counts){ 5, 0, 0, 0 }, 0, LEVEL_UNIT), VERDICT_COMPLIANT, PB_CLEAN);
}

static void basis_keys_are_stable(void **state)
{
	static const char *const want[PB_COUNT] = {
		NULL, "level", "no-data", "no-subjects", "high", "rate", "unknown", "clean", "decided-rate",
	};

	(void)state;
	/* They are stored in workspaces and submissions: never renamed. */
	for (int b = 0; b < PB_COUNT; b++) {
		if (!want[b])
			assert_null(proposal_basis_key((enum proposal_basis)b));
		else
			assert_string_equal(proposal_basis_key((enum proposal_basis)b), want[b]);
	}
	assert_null(proposal_basis_key(PB_COUNT));
}

/* ---- gain if fixed ---- */

/* The last score: 1.1 不符合 by its high rule (1 of 4 violating); 1.2
 * answered 基本符合; 1.3 not this level's; 2.1 不符合 (2 of 2).  Article 1:
 * (0 + 50) / 2 = 25, article 2: 0, total 12.5. */
static void baseline(struct scoring_item it[4])
{
	memset(it, 0, 4 * sizeof(*it));
	it[0] = (struct scoring_item){ .proposal = VERDICT_NONCOMPLIANT, .counts = { 4, 1, 0, 1 } };
	it[0].rule_bits[INV_APPS] = BIT_A | BIT_H;
	it[1] = (struct scoring_item){ .answer = VERDICT_PARTIAL };
	it[2] = (struct scoring_item){ .proposal = VERDICT_NA };
	it[2].rule_bits[INV_APPS] = BIT_A;
	it[3] = (struct scoring_item){ .proposal = VERDICT_NONCOMPLIANT, .counts = { 2, 2, 0, 0 } };
	it[3].rule_bits[INV_APPS] = BIT_B;
}

static const unsigned long long high_bits[INV_COUNT] = { [INV_APPS] = BIT_H };

static void gain_from_fixing_a_subject(void **state)
{
	struct scoring_item it[4];
	struct scoring_gain g;

	(void)state;
	baseline(it);
	assert_int_equal(scoring_gain_init(&g, rules, LEVEL_UNIT, it, high_bits), 0);
	assert_true(g.total == 12.5);
	/* All of its violations fixed: 1.1 becomes 符合 (0 of 4), article 1
	 * (100 + 50) / 2 = 75, total 37.5. */
	assert_true(scoring_gain_fix(&g, INV_APPS, BIT_A | BIT_H, 0, BIT_A | BIT_H) == 25);
	/* Only the high rule fixed: 1 of 4 still violates, rate 0.25,
	 * 基本符合: article 1 50, total 25. */
	assert_true(scoring_gain_fix(&g, INV_APPS, BIT_A | BIT_H, 0, BIT_H) == 12.5);
	/* Fixed, but a field of the item's rules is still unknown: the
	 * subject becomes a data gap and the item has no proposal: article 1
	 * is 1.2 alone (50), total 25. */
	assert_true(scoring_gain_fix(&g, INV_APPS, BIT_A | BIT_H, BIT_A, BIT_A | BIT_H) == 12.5);
	/* Fixing rules the subject does not violate, or another inventory's,
	 * changes nothing. */
	assert_true(scoring_gain_fix(&g, INV_APPS, BIT_A, 0, BIT_B) == 0);
	assert_true(scoring_gain_fix(&g, INV_ACCOUNTS, BIT_A, 0, BIT_A) == 0);
	assert_true(scoring_gain_fix(&g, INV_COUNT, BIT_A, 0, BIT_A) < 0);
	/* Article 2's item: 1 of 2 still violating is 0.5 > 0.25, 不符合. */
	assert_true(scoring_gain_fix(&g, INV_APPS, BIT_B, 0, BIT_B) == 0);
	/* The baseline is untouched by the questions. */
	assert_true(g.total == 12.5);
	assert_true(scoring_gain_fix(&g, INV_APPS, BIT_A | BIT_H, 0, BIT_A | BIT_H) == 25);
	scoring_gain_release(&g);
}

static void gain_respects_the_inspectors_answer(void **state)
{
	struct scoring_item it[4];
	struct scoring_gain g;

	(void)state;
	/* Answered as the rules proposed: the answer follows the rules. */
	baseline(it);
	it[0].answer = VERDICT_NONCOMPLIANT;
	assert_int_equal(scoring_gain_init(&g, rules, LEVEL_UNIT, it, high_bits), 0);
	assert_true(scoring_gain_fix(&g, INV_APPS, BIT_A | BIT_H, 0, BIT_A | BIT_H) == 25);
	scoring_gain_release(&g);
	/* Overridden with a reason: it stays as answered. */
	baseline(it);
	it[0].answer = VERDICT_PARTIAL;
	assert_int_equal(scoring_gain_init(&g, rules, LEVEL_UNIT, it, high_bits), 0);
	assert_true(g.total == 25);
	assert_true(scoring_gain_fix(&g, INV_APPS, BIT_A | BIT_H, 0, BIT_A | BIT_H) == 0);
	scoring_gain_release(&g);
}

static void gain_from_making_items_compliant(void **state)
{
	struct scoring_item it[4];
	struct scoring_gain g;

	(void)state;
	baseline(it);
	assert_int_equal(scoring_gain_init(&g, rules, LEVEL_UNIT, it, high_bits), 0);
	assert_true(scoring_gain_compliant(&g, "1.1", 0) == 25);
	/* The whole article: 1.1 and 1.2 符合, 1.3 stays 不适用: 100, total 50. */
	assert_true(scoring_gain_compliant(&g, NULL, 1) == 37.5);
	assert_true(scoring_gain_compliant(&g, "1.3", 0) == 0);
	assert_true(scoring_gain_compliant(&g, "2.1", 0) == 50);
	assert_true(scoring_gain_compliant(&g, "9.9", 0) == 0);
	scoring_gain_release(&g);
}

static void no_total_no_gain(void **state)
{
	struct scoring_item it[4];
	struct scoring_gain g;

	(void)state;
	memset(it, 0, sizeof(it));
	it[0].rule_bits[INV_APPS] = BIT_A;
	assert_int_equal(scoring_gain_init(&g, rules, LEVEL_UNIT, it, high_bits), 0);
	assert_true(g.total < 0);
	assert_true(scoring_gain_fix(&g, INV_APPS, BIT_A, 0, BIT_A) < 0);
	assert_true(scoring_gain_compliant(&g, "1.1", 0) < 0);
	scoring_gain_release(&g);
	scoring_gain_release(&g);	/* twice is harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verdict_points),
		cmocka_unit_test(weighted_means),
		cmocka_unit_test(not_applicable_is_excluded),
		cmocka_unit_test(unanswered_is_excluded_not_zero),
		cmocka_unit_test(nothing_answered_has_no_score),
		cmocka_unit_test(grade_bands_are_inclusive),
		cmocka_unit_test(answer_beats_proposal),
		cmocka_unit_test(proposal_level),
		cmocka_unit_test(proposal_manual),
		cmocka_unit_test(proposal_no_data_and_no_subjects),
		cmocka_unit_test(proposal_high),
		cmocka_unit_test(proposal_rate),
		cmocka_unit_test(proposal_unknown_is_never_a_pass),
		cmocka_unit_test(proposal_clean),
		cmocka_unit_test(basis_keys_are_stable),
		cmocka_unit_test(gain_from_fixing_a_subject),
		cmocka_unit_test(gain_respects_the_inspectors_answer),
		cmocka_unit_test(gain_from_making_items_compliant),
		cmocka_unit_test(no_total_no_gain),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
