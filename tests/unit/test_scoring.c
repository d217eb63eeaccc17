/* Unit tests: the scoring arithmetic of DESIGN.md (XCCDF "default" model). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/assess.h"

/* Two articles: article 1 weight 1 with items 1.1 (w1) and 1.2 (w3);
 * article 2 weight 3 with items 2.1 and 2.2 (w1 each). */
static const char text[] =
	"[checklist]\nid = t\ntitle = T\n[grades]\n优秀 = 90\n良好 = 80\n一般 = 60\n较差 = 0\n"
	"[part 1]\ntitle = P\n"
	"[article 1]\npart = 1\ntitle = A\ntext = x\nweight = 1\n"
	"[article 2]\npart = 1\ntitle = B\ntext = y\nweight = 3\n"
	"[item 1.1]\nquestion = q\n[item 1.2]\nquestion = q\nweight = 3\n"
	"[item 2.1]\nquestion = q\n[item 2.2]\nquestion = q\n";

static struct checklist *cl;

static int setup(void **state)
{
	struct zj_error err;

	(void)state;
	cl = checklist_parse("s.zjc", text, sizeof(text) - 1, &err);
	return cl ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	checklist_free(cl);
	return 0;
}

static void weighted_means(void **state)
{
	enum verdict v[4] = { VERDICT_COMPLIANT, VERDICT_PARTIAL, VERDICT_NONCOMPLIANT, VERDICT_COMPLIANT };
	double art[2], total;

	(void)state;
	scoring_compute(cl, v, art, &total);
	/* (1*100 + 3*50) / 4 = 62.5; (0 + 100) / 2 = 50; (1*62.5 + 3*50) / 4 = 53.125 */
	assert_true(art[0] == 62.5);
	assert_true(art[1] == 50);
	assert_true(total == 53.125);
	assert_string_equal(checklist_grade(cl, total), "较差");
}

static void not_applicable_is_excluded(void **state)
{
	enum verdict v[4] = { VERDICT_NA, VERDICT_PARTIAL, VERDICT_NA, VERDICT_NA };
	double art[2], total;

	(void)state;
	scoring_compute(cl, v, art, &total);
	assert_true(art[0] == 50);	/* only 1.2 counts */
	assert_true(art[1] < 0);	/* nothing applicable: no score */
	assert_true(total == 50);	/* article 2 is left out, not counted as 0 */
}

static void unanswered_is_excluded_not_zero(void **state)
{
	enum verdict v[4] = { VERDICT_COMPLIANT, VERDICT_NONE, VERDICT_NONE, VERDICT_NONE };
	double art[2], total;

	(void)state;
	scoring_compute(cl, v, art, &total);
	assert_true(art[0] == 100);
	assert_true(art[1] < 0);
	assert_true(total == 100);
	assert_string_equal(checklist_grade(cl, total), "优秀");
}

static void nothing_answered_has_no_score(void **state)
{
	enum verdict v[4] = { VERDICT_NONE, VERDICT_NONE, VERDICT_NA, VERDICT_NONE };
	double art[2], total;

	(void)state;
	scoring_compute(cl, v, art, &total);
	assert_true(total < 0);
	assert_null(checklist_grade(cl, total));
}

static void grade_bands_are_inclusive(void **state)
{
	(void)state;
	assert_string_equal(checklist_grade(cl, 90), "优秀");
	assert_string_equal(checklist_grade(cl, 89.99), "良好");
	assert_string_equal(checklist_grade(cl, 80), "良好");
	assert_string_equal(checklist_grade(cl, 60), "一般");
	assert_string_equal(checklist_grade(cl, 59.9), "较差");
}

static void answer_beats_proposal(void **state)
{
	struct item_status s = { .answer = VERDICT_NONE, .proposal = VERDICT_NONCOMPLIANT };

	(void)state;
	assert_int_equal(item_effective(&s), VERDICT_NONCOMPLIANT);
	s.answer = VERDICT_PARTIAL;
	assert_int_equal(item_effective(&s), VERDICT_PARTIAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weighted_means),
		cmocka_unit_test(not_applicable_is_excluded),
		cmocka_unit_test(unanswered_is_excluded_not_zero),
		cmocka_unit_test(nothing_answered_has_no_score),
		cmocka_unit_test(grade_bands_are_inclusive),
		cmocka_unit_test(answer_beats_proposal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
