/* Unit tests: the .zjc loader, on the real checklist and on broken ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/checklist.h"
#include "core/scoring.h"

#define HEAD "[checklist]\nid = t\ntitle = T\n[grades]\n好 = 60\n差 = 0\n[part 1]\ntitle = P\n"
#define ART "[article 1]\npart = 1\ntitle = A\ntext = 文本\n"
#define ITEM "[item 1.1]\nquestion = 是否？\n"

static char *real_path(void)
{
	static char path[4096];
	const char *top = getenv("TOP");

	snprintf(path, sizeof(path), "%s/checklists/opinions-2023.zjc", top ? top : ".");
	return path;
}

static void real_checklist_is_faithful(void **state)
{
	struct zj_error err = { "" };
	struct checklist *cl = checklist_load(real_path(), &err);
	size_t items = 0;

	(void)state;
	if (!cl)
		fail_msg("%s", err.msg);
	assert_int_equal(cl->nparts, 5);
	assert_int_equal(cl->narticles, 16);
	for (size_t a = 0; a < cl->narticles; a++) {
		assert_true(cl->articles[a].nitems >= 2);
		assert_true(strlen(cl->articles[a].text) > 30);
		items += cl->articles[a].nitems;
	}
	assert_true(items >= 40);
	assert_int_equal(items, cl->nitems);
	assert_string_equal(cl->articles[5].title, "限制强制功能");
	assert_non_null(strstr(cl->articles[5].text, "打卡签到、积分排名、在线时长"));
	assert_string_equal(scoring_grade(cl, 95), cl->grades[0].name);
	assert_non_null(scoring_grade(cl, 0));
	assert_null(scoring_grade(cl, -1));
	/* Every rule whose basis is the article's text is linked from an item
	 * of its own article; a rule whose basis is the campaign is linked
	 * from none, so it changes no article's score. */
	for (size_t r = 0; r < cl->nrules; r++) {
		int linked = 0;

		for (size_t i = 0; i < cl->nitems; i++)
			for (size_t k = 0; k < cl->items[i].nrules; k++)
				linked |= cl->items[i].rules[k] == r;
		assert_int_equal(linked, cl->rules[r].source == SRC_TEXT);
		assert_true(cl->rules[r].type >= 0);
	}
	/* What `checklist check` asks: bases, types, thresholds' sources. */
	if (checklist_lint(cl, &err) < 0)
		fail_msg("%s", err.msg);
	checklist_free(cl);
}

static void minimal_parses(void **state)
{
	static const char text[] = HEAD ART ITEM "[item 1.2]\nquestion = 二？\nweight = 2\n";
	struct zj_error err = { "" };
	struct checklist *cl = checklist_parse("t.zjc", text, sizeof(text) - 1, &err);

	(void)state;
	if (!cl)
		fail_msg("%s", err.msg);
	assert_int_equal(cl->nitems, 2);
	assert_int_equal(cl->items[1].weight, 2);
	assert_int_equal(cl->articles[0].nitems, 2);
	assert_string_equal(cl->grades[0].name, "好");
	checklist_free(cl);
}

static void continuation_lines_join(void **state)
{
	static const char text[] = HEAD ART ITEM
		"[rule r1]\narticle = 1\ninventory = apps\nseverity = low\ntitle = t\nmessage = m\n"
		"when = in_plan = 0\n    AND on_gov_cloud = 0\n";
	struct zj_error err = { "" };
	struct checklist *cl = checklist_parse("t.zjc", text, sizeof(text) - 1, &err);

	(void)state;
	if (!cl)
		fail_msg("%s", err.msg);
	assert_string_equal(cl->rules[0].when, "in_plan = 0\nAND on_gov_cloud = 0");
	checklist_free(cl);
}

/* Each broken file fails with FILE:LINE and the reason. */
static void expect_error(const char *text, const char *want)
{
	struct zj_error err = { "" };
	struct checklist *cl = checklist_parse("bad.zjc", text, strlen(text), &err);

	if (cl) {
		checklist_free(cl);
		fail_msg("parsed, expected error '%s'", want);
	}
	if (!strstr(err.msg, want))
		fail_msg("error '%s' lacks '%s'", err.msg, want);
}

static void broken_files_say_where(void **state)
{
	(void)state;
	expect_error(HEAD ART ITEM "[item 1.1]\nquestion = again\n", "bad.zjc:15: item 1.1 is defined twice");
	expect_error(HEAD ART ITEM "bogus line\n", "bad.zjc:15: expected 'key = value'");
	expect_error(HEAD ART ITEM "[item 1.2]\nquestion = q\nrules = nosuch\n", "links rule 'nosuch', which is not defined");
	expect_error(HEAD ART ITEM "[article 1]\n", "article 1 is defined twice");
	expect_error(HEAD ART, "article 1 has no check item");
	expect_error(HEAD "[article 1]\npart = 1\ntitle = A\n" ITEM, "bad.zjc:9: section lacks 'text'");
	expect_error(HEAD ART "[item 1.1]\nquestion = q\ncolour = red\n", "bad.zjc:15: unknown key 'colour'");
	expect_error(HEAD ART "[item 1.1]\nquestion = q\nquestion = r\n", "bad.zjc:15: key 'question' is set twice");
	expect_error(HEAD ART "[item 1.1]\nquestion = q\nweight = -1\n", "weight '-1' is not a positive number");
	expect_error(HEAD ART "[item 1.1]\nquestion = q\nlevels = planet\n", "'planet' is not a level");
	expect_error(HEAD ART "[item x]\n", "item 'x' is not of the form ARTICLE.NUMBER");
	expect_error(HEAD ART ITEM "[rule r]\narticle = 1\ninventory = cars\n", "'cars' is not an inventory");
	expect_error(HEAD ART ITEM "[rule r]\narticle = 1\ninventory = apps\nseverity = low\ntitle = t\nmessage = m\n",
		     "section lacks 'when'");
	expect_error(HEAD ART ITEM "[rule r]\narticle = 9\ninventory = apps\nseverity = low\ntitle = t\nmessage = m\nwhen = 1\n",
		     "rule r names article 9, which is not defined");
	expect_error("[checklist]\nid = t\ntitle = T\n" ART ITEM, "needs a [grades] section");
	expect_error(HEAD "[article 2]\npart = 1\ntitle = A\ntext = x\n" ITEM, "article 1 is missing");
	expect_error(HEAD ART ITEM "[item 1.2]\n  indented\n", "bad.zjc:16: indented line continues");
	expect_error(HEAD ART ITEM "[widget 3]\n", "unknown section [widget 3]");
	expect_error(HEAD ART ITEM "[grades]\n", "section [grades] appears twice");
	expect_error(HEAD ART ITEM "[thresholds]\nx = many\n", "threshold 'x': 'many' is not a number");
}

static void missing_file_is_an_error(void **state)
{
	struct zj_error err = { "" };

	(void)state;
	assert_null(checklist_load("/nonexistent/x.zjc", &err));
	assert_non_null(strstr(err.msg, "cannot open checklist '/nonexistent/x.zjc'"));
	assert_null(checklist_load("/", &err));
}

static void verdicts_parse_both_ways(void **state)
{
	(void)state;
	assert_int_equal(verdict_parse("符合"), VERDICT_COMPLIANT);
	assert_int_equal(verdict_parse("Compliant"), VERDICT_COMPLIANT);
	assert_int_equal(verdict_parse("基本符合"), VERDICT_PARTIAL);
	assert_int_equal(verdict_parse("partial"), VERDICT_PARTIAL);
	assert_int_equal(verdict_parse("不符合"), VERDICT_NONCOMPLIANT);
	assert_int_equal(verdict_parse("noncompliant"), VERDICT_NONCOMPLIANT);
	assert_int_equal(verdict_parse("不适用"), VERDICT_NA);
	assert_int_equal(verdict_parse("na"), VERDICT_NA);
	assert_int_equal(verdict_parse("maybe"), VERDICT_NONE);
}

/* What `checklist check` asks beyond parsing: a basis that is a clause of
 * the article, a type, 不得 for a high rule, every threshold's source. */
static void lint_asks_bases_and_types(void **state)
{
#define LHEAD "[checklist]\nid = t\ntitle = T\n[grades]\n好 = 60\n差 = 0\n[scoring]\npartial_rate = 0.1\n" \
	      "partial_rate.source = default\npartial_rate.basis = 默认\n[thresholds]\nd = 30\nd.source = default\n" \
	      "d.basis = 《意见》未规定天数\n[part 1]\ntitle = P\n[article 1]\npart = 1\ntitle = A\n" \
	      "text = 不得强制要求定期登录。应制定应急预案。\n[item 1.1]\nquestion = 是否存在强制登录的情况？\n" \
	      "basis = 不得强制要求定期登录\nrules = r\n"
	static const struct {
		const char *rule, *why;	/* why NULL: accepted */
	} cases[] = {
		{ "severity = high\ntype = 功能异化\nbasis = 不得强制要求定期登录\n", NULL },
		{ "severity = high\ntype = 功能异化\n", "has no basis" },
		{ "severity = high\nbasis = 不得强制要求定期登录\n", "has no type" },
		{ "severity = high\ntype = 功能异化\nbasis = 不得强制要求每日登录\n", "is not a clause of article 1" },
		{ "severity = high\ntype = 建设不规范\nbasis = 应制定应急预案\n", "is of high severity" },
		{ "severity = medium\ntype = 建设不规范\nbasis = 应制定应急预案\n", NULL },
		{ "severity = low\ntype = excess\nsource = campaign\nbasis = 2021年专项整治\n", NULL },
		{ "severity = low\ntype = excess\nbasis = 应制定应急预案\nmessage = 超过{x}天\n", "names '{x}'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[2048];
		struct zj_error err = { "" };
		struct checklist *cl;

		snprintf(text, sizeof(text), LHEAD "[rule r]\narticle = 1\ninventory = apps\ntitle = t\n%s%swhen = mandatory_login = 1\n",
			 strstr(cases[i].rule, "message") ? "" : "message = m\n", cases[i].rule);
		cl = checklist_parse("l.zjc", text, strlen(text), &err);
		if (!cl)
			fail_msg("case %zu: %s", i, err.msg);
		if (!cases[i].why) {
			if (checklist_lint(cl, &err) < 0)
				fail_msg("case %zu: %s", i, err.msg);
		} else {
			assert_int_equal(checklist_lint(cl, &err), -1);
			if (!strstr(err.msg, cases[i].why))
				fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].why);
		}
		checklist_free(cl);
	}
	{
		/* A threshold without its source and basis is refused. */
		const char text[] = "[checklist]\nid = t\ntitle = T\n[grades]\n好 = 0\n[thresholds]\nd = 30\n"
				    "[part 1]\ntitle = P\n[article 1]\npart = 1\ntitle = A\ntext = x\n[item 1.1]\nquestion = q\n";
		struct zj_error err = { "" };
		struct checklist *cl = checklist_parse("t.zjc", text, sizeof(text) - 1, &err);

		assert_non_null(cl);
		assert_int_equal(checklist_lint(cl, &err), -1);
		assert_non_null(strstr(err.msg, "threshold d needs d.source"));
		checklist_free(cl);
	}
}

/* 是否存在… questions read 否，符合; the others keep the verdict's word. */
static void answers_read_as_the_question(void **state)
{
	struct cl_item neg = { .question = (char *)(uintptr_t)"是否存在强制登录的情况？" };
	struct cl_item pos = { .question = (char *)(uintptr_t)"是否制定应急预案？" };

	(void)state;
	assert_string_equal(checklist_answer_text(&neg, VERDICT_COMPLIANT), "否，符合");
	assert_string_equal(checklist_answer_text(&neg, VERDICT_NONCOMPLIANT), "是，不符合");
	assert_string_equal(checklist_answer_text(&neg, VERDICT_PARTIAL), "个别存在，基本符合");
	assert_string_equal(checklist_answer_text(&neg, VERDICT_NA), "不适用");
	assert_string_equal(checklist_answer_text(&pos, VERDICT_COMPLIANT), "符合");
	assert_string_equal(checklist_answer_text(&pos, VERDICT_NONCOMPLIANT), "不符合");
}

/* {name} in a message becomes the threshold's value; other braces stay. */
static void messages_print_their_thresholds(void **state)
{
	const char text[] = "[checklist]\nid = t\ntitle = T\n[grades]\n好 = 0\n[thresholds]\nd = 365\np = 0.5\n"
			    "[part 1]\ntitle = P\n[article 1]\npart = 1\ntitle = A\ntext = x\n[item 1.1]\nquestion = q\n";
	struct zj_error err = { "" };
	struct checklist *cl = checklist_parse("t.zjc", text, sizeof(text) - 1, &err);
	char *m;

	(void)state;
	assert_non_null(cl);
	m = checklist_expand_message(cl, "超过{d}天，{p}，{nope}，{");
	assert_string_equal(m, "超过365天，0.5，{nope}，{");
	free(m);
	checklist_free(cl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_checklist_is_faithful),
		cmocka_unit_test(minimal_parses),
		cmocka_unit_test(continuation_lines_join),
		cmocka_unit_test(broken_files_say_where),
		cmocka_unit_test(missing_file_is_an_error),
		cmocka_unit_test(verdicts_parse_both_ways),
		cmocka_unit_test(lint_asks_bases_and_types),
		cmocka_unit_test(answers_read_as_the_question),
		cmocka_unit_test(messages_print_their_thresholds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
