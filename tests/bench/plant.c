/*
 * plant: inventories with every case of the checklist's rules planted, and
 * the findings a correct score must give for them.
 *
 *   plant DIR [CYCLES]        apps.csv, accounts.csv, groups.csv and
 *                             expected.csv in DIR, CYCLES copies of every
 *                             case (default 1)
 *   plant DIR --rows N        apps.csv of N rows (the cases again and again,
 *                             each followed by a clean row) and expected.csv,
 *                             for the benchmark at a million rows
 *
 * Every row is a clean baseline (no rule violated, no field a rule needs
 * empty, names and tags unlike any other's) changed in exactly what its case
 * plants, so the findings of a correct score are exactly expected.csv: one
 * line "rule,subject_id,state" per violated or unknown finding, and none for
 * a silent case (a near miss, a qualifier that makes a practice lawful, a
 * rule about running apps on a stopped one).  The test sorts both and
 * compares them whole: what is flagged, what is a gap, and what is silent.
 * The rows of the rule app.duplicate_across appear only above the unit level
 * (tests/cli/t310-planted.sh filters them out for a unit).  Ages are meant
 * against the as-of date 2026-06-30.
 *
 * Only libc; deterministic: the same arguments give the same bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("plant: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* ---- names that resemble nothing else ---- */

static uint64_t rng;

static uint32_t next_rand(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* 200 characters of no administrative suffix (省市县区州盟旗乡镇), none of the
 * words the similarity pass strips. */
static const char pool[] =
	"春夏秋冬梅兰竹菊松柏桃李杏梨枣橙桔柚瓜豆麦稻谷粟禾苗花草叶根茎枝果实种仁"
	"金银铜铁锡玉石珠宝翠晶砂土泥沙岩峰岭峡谷滩洲岛湾港渡桥亭台楼阁轩榭廊堂殿"
	"琴棋书画诗词歌赋笔墨纸砚灯烛镜扇伞鼓钟磬笛箫弦簧瑟筝箜篌琵琶锣钹铃铎"
	"鹤鹭雁燕莺鹊鸽鸥鹰隼龟鱼虾蟹蚌螺龙凤麟虎豹熊鹿马牛羊犬兔鼠蛇猴鸡猪"
	"晨昏朝暮昼夜晴雨雪霜露雾虹霞星辰日月光影风云雷电冰火炎焰烟尘波涛浪潮";

static int pool_n;	/* characters in pool */

static void put_pool_char(char *out, size_t *n, int k)
{
	memcpy(out + *n, pool + 3 * (k % pool_n), 3);
	*n += 3;
}

/* n random characters into out (NUL-terminated). */
static void rand_chars(char *out, int n)
{
	size_t len = 0;

	for (int i = 0; i < n; i++)
		put_pool_char(out, &len, (int)(next_rand() % (uint32_t)pool_n));
	out[len] = '\0';
}

/* The place name of unit u: two characters, unique for u < 40000. */
static void place(char *out, unsigned u)
{
	size_t n = 0;

	put_pool_char(out, &n, (int)(u % 200));
	put_pool_char(out, &n, (int)((u / 200) % 200 + 7));
	out[n] = '\0';
}

static const char *const depts[] = {
	"民政局", "教育局", "卫生健康局", "公安局", "农业农村局", "自然资源局", "住房和城乡建设局",
	"交通运输局", "水务局", "应急管理局", "市场监督管理局", "文化和旅游局", "商务局", "司法局",
	"财政局", "统计局", "审计局", "人力资源和社会保障局", "生态环境局", "信访局",
};

static void unit_name(char *out, size_t size, unsigned u)
{
	char p[16];

	place(p, u);
	snprintf(out, size, "%s县%s", p, depts[u % N_ELEM(depts)]);
}

/* ---- output ---- */

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "w")))
		die("cannot write %s: %s", path, strerror(errno));
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

static void close_out(FILE *f)
{
	if (fflush(f) != 0 || ferror(f) || fclose(f) != 0)
		die("write error: %s", strerror(errno));
}

static FILE *expect;

static void expected(const char *rule, const char *id, char state)
{
	fprintf(expect, "%s,%s,%s\n", rule, id, state == 'V' ? "violated" : "unknown");
}

/* ---- rows: a column list and values by key ---- */

struct table {
	const char *const *keys;
	size_t n;
	const char **val;	/* n values of the current row */
	FILE *f;
};

static int col(const struct table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->keys[i], key))
			return (int)i;
	die("no column %s", key);
	return -1;
}

static void set(struct table *t, const char *key, const char *v)
{
	t->val[col(t, key)] = v;
}

/* Applies "key=value|key=value" (value may be empty: an empty cell). */
static void apply(struct table *t, const char *spec, char *store, size_t size)
{
	char *p;

	snprintf(store, size, "%s", spec ? spec : "");
	for (p = store; p && *p;) {
		char *bar = strchr(p, '|'), *eq;

		if (bar)
			*bar = '\0';
		if (!(eq = strchr(p, '=')))
			die("bad spec %s", spec);
		*eq = '\0';
		set(t, p, eq + 1);
		p = bar ? bar + 1 : NULL;
	}
}

/* Writes the row; a field with a comma or quote is quoted. */
static void emit(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const char *v = t->val[i] ? t->val[i] : "";

		if (i)
			fputc(',', t->f);
		if (strpbrk(v, ",\"\n")) {
			fputc('"', t->f);
			for (; *v; v++) {
				if (*v == '"')
					fputc('"', t->f);
				fputc(*v, t->f);
			}
			fputc('"', t->f);
		} else {
			fputs(v, t->f);
		}
	}
	fputc('\n', t->f);
}

/* The expectations of a case, "rule=V|rule=U", for the row id. */
static void expect_all(const char *spec, const char *id)
{
	char buf[512], *p;

	snprintf(buf, sizeof(buf), "%s", spec ? spec : "");
	for (p = buf; p && *p;) {
		char *bar = strchr(p, '|'), *eq;

		if (bar)
			*bar = '\0';
		if (!(eq = strchr(p, '=')))
			die("bad expectation %s", spec);
		*eq = '\0';
		expected(p, id, eq[1]);
		p = bar ? bar + 1 : NULL;
	}
}

/* ---- apps ---- */

static const char *const app_keys[] = {
	"id", "name", "host_unit", "user_units", "form", "platform", "audience", "function_tags",
	"launched_on", "last_updated_on", "status", "registered_users", "monthly_active_users",
	"icp_filing", "icp_shown_on_home", "in_plan", "project_reviewed", "on_one_stop_platform",
	"on_gov_cloud", "has_checkin", "has_points_ranking", "has_online_duration",
	"forced_features_approved", "forced_features_exposed", "acceptance_tested", "install_quota",
	"mandatory_login", "used_for_assessment", "requires_screenshots", "likes_in_evaluation",
	"ranking_in_notices", "duplicate_reporting", "emergency_plan", "last_drill_on",
	"data_protection", "ops_monitoring", "complaint_channel", "formalism_complaint_zone",
	"screenshots_necessary", "stopped_on", "deregistration_announced", "data_disposed", "note",
};

/* One planted case: what it changes in the baseline row, and the findings
 * it must give (none: a silence). */
struct pcase {
	const char *set, *expect;
};

static const struct pcase app_cases[] = {
	{ "in_plan=否", "app.not_in_plan=V" },
	{ "in_plan=", "app.not_in_plan=U" },
	{ "project_reviewed=否", "app.no_project_review=V" },
	{ "project_reviewed=", "app.no_project_review=U" },
	{ "on_one_stop_platform=否", "app.not_on_one_stop=V" },
	{ "on_one_stop_platform=", "app.not_on_one_stop=U" },
	{ "on_gov_cloud=否", "app.not_on_gov_cloud=V" },
	{ "on_gov_cloud=", "app.not_on_gov_cloud=U" },
	/* article 6 */
	{ "has_checkin=是|forced_features_approved=否", "app.forced_unapproved=V" },
	{ "has_checkin=是|forced_features_approved=", "app.forced_unapproved=U" },
	{ "has_online_duration=是|forced_features_approved=是", NULL },
	{ "has_points_ranking=是|forced_features_approved=是|forced_features_exposed=是", "app.forced_exposed=V" },
	{ "forced_features_exposed=是", "app.forced_exposed=U" },	/* exposes features it lacks */
	/* article 7: acceptance, staleness, low use, closing */
	{ "acceptance_tested=否", "app.no_acceptance=V" },
	{ "acceptance_tested=", "app.no_acceptance=U" },
	{ "last_updated_on=2024-01-01", "app.stale=V" },
	{ "last_updated_on=", "app.stale=U" },
	{ "launched_on=2025-06-01|last_updated_on=2025-03-01", "app.stale=U" },	/* updated before launch */
	{ "monthly_active_users=50", "app.low_use=V" },		/* 0.5% of the public */
	{ "monthly_active_users=500", NULL },			/* 5%: not low for the public */
	{ "audience=内部|registered_users=1000|monthly_active_users=100", "app.low_use=V" },	/* 10% */
	{ "audience=内部|registered_users=1000|monthly_active_users=300", NULL },		/* 30% */
	{ "audience=|monthly_active_users=500", "app.low_use=U" },	/* 5%: low only if internal */
	{ "audience=|monthly_active_users=50", "app.low_use=V" },	/* 0.5%: low for either */
	{ "monthly_active_users=0", "app.low_use=V" },
	{ "monthly_active_users=", "app.low_use=U" },
	{ "registered_users=|monthly_active_users=500", "app.low_use=U" },
	{ "registered_users=0|monthly_active_users=30", NULL },
	{ "status=停用|stopped_on=2025-01-01|deregistration_announced=是", "app.stopped_too_long=V" },
	{ "status=停用|stopped_on=2026-05-01|deregistration_announced=是", NULL },
	{ "status=停用|stopped_on=|deregistration_announced=是", "app.stopped_too_long=U" },
	{ "stopped_on=2025-01-01", "app.stopped_too_long=U" },	/* 运行 with a 停用日期 */
	{ "status=|stopped_on=2025-01-01|deregistration_announced=是|data_disposed=是",
	  "app.stopped_too_long=U" },					/* stopped, status unknown */
	{ "status=", "app.stopped_too_long=U|app.closed_no_notice=U|app.closed_data_not_disposed=U" },
	{ "status=停用|stopped_on=2026-05-01|deregistration_announced=否", "app.closed_no_notice=V" },
	{ "status=停用|stopped_on=2026-05-01|deregistration_announced=", "app.closed_no_notice=U" },
	{ "status=已注销|stopped_on=2025-01-01|deregistration_announced=是|data_disposed=是", NULL },
	{ "status=已注销|deregistration_announced=否|data_disposed=是", "app.closed_no_notice=V" },
	{ "status=已注销|deregistration_announced=是|data_disposed=否", "app.closed_data_not_disposed=V" },
	{ "status=已注销|deregistration_announced=是|data_disposed=", "app.closed_data_not_disposed=U" },
	/* how a running app behaves is not asked of a stopped one */
	{ "status=停用|stopped_on=2026-05-01|deregistration_announced=是|has_checkin=是|forced_features_approved=否"
	  "|install_quota=是|in_plan=否|monthly_active_users=0", NULL },
	/* articles 8-11 */
	{ "install_quota=是", "app.install_quota=V" },
	{ "install_quota=", "app.install_quota=U" },
	{ "mandatory_login=是", "app.mandatory_login=V" },
	{ "mandatory_login=", "app.mandatory_login=U" },
	{ "used_for_assessment=是", "app.assessment_carrier=V" },
	{ "used_for_assessment=", "app.assessment_carrier=U" },
	{ "requires_screenshots=是|screenshots_necessary=否", "app.screenshots=V" },
	{ "requires_screenshots=是|screenshots_necessary=", "app.screenshots=U" },
	{ "requires_screenshots=是|screenshots_necessary=是", NULL },
	{ "requires_screenshots=|screenshots_necessary=是", NULL },
	{ "requires_screenshots=", "app.screenshots=U" },
	{ "likes_in_evaluation=是", "app.likes_in_evaluation=V" },
	{ "likes_in_evaluation=", "app.likes_in_evaluation=U" },
	{ "has_points_ranking=是|forced_features_approved=是|ranking_in_notices=是", "app.ranking_in_notices=V" },
	{ "has_points_ranking=是|forced_features_approved=是|ranking_in_notices=", "app.ranking_in_notices=U" },
	{ "ranking_in_notices=是", "app.ranking_in_notices=U" },	/* ranking data with no ranking */
	{ "ranking_in_notices=", NULL },				/* no ranking: out of scope */
	{ "duplicate_reporting=是", "app.duplicate_reporting=V" },
	{ "duplicate_reporting=", "app.duplicate_reporting=U" },
	/* articles 12-14 */
	{ "emergency_plan=否", "app.no_emergency_plan=V" },
	{ "emergency_plan=", "app.no_emergency_plan=U" },
	{ "last_drill_on=2024-01-01", "app.drill_overdue=V" },
	{ "last_drill_on=", "app.drill_overdue=U" },
	{ "data_protection=否", "app.no_data_protection=V" },
	{ "data_protection=", "app.no_data_protection=U" },
	{ "ops_monitoring=否", "app.no_ops_monitoring=V" },
	{ "ops_monitoring=", "app.no_ops_monitoring=U" },
	{ "icp_filing=无|icp_shown_on_home=否", "app.no_icp_filing=V|app.icp_not_shown=V" },
	{ "icp_filing=未备案|icp_shown_on_home=否", "app.no_icp_filing=V|app.icp_not_shown=V" },
	{ "icp_filing=暂无|icp_shown_on_home=否", "app.no_icp_filing=V|app.icp_not_shown=V" },
	{ "icp_filing=", "app.no_icp_filing=U" },
	{ "icp_filing=无", "app.no_icp_filing=V|app.icp_not_shown=U" },	/* shows a number it lacks */
	{ "icp_shown_on_home=否", "app.icp_not_shown=V" },
	{ "icp_shown_on_home=", "app.icp_not_shown=U" },
	{ "complaint_channel=否", "app.no_complaint_channel=V|app.no_formalism_zone=U" },
	{ "complaint_channel=", "app.no_complaint_channel=U" },
	{ "formalism_complaint_zone=否", "app.no_formalism_zone=V" },
	{ "formalism_complaint_zone=", "app.no_formalism_zone=U" },
	/* article 5 across units: no tags, nothing to compare */
	{ "function_tags=", "app.duplicate_across=U" },
};

struct apps {
	struct table t;
	const char *val[N_ELEM(app_keys)];
	unsigned long row;	/* rows written */
	unsigned long units;	/* units in use: a new one every 200 rows */
	char id[32], name[64], unit[128], tags[128], icp[64];
};

/* The clean row number app->row, in unit u. */
static void app_baseline(struct apps *a, unsigned u)
{
	char x[32];

	memset(a->val, 0, sizeof(a->val));
	snprintf(a->id, sizeof(a->id), "APP-%07lu", a->row + 1);
	rand_chars(x, 5);
	snprintf(a->name, sizeof(a->name), "%s", x);
	unit_name(a->unit, sizeof(a->unit), u);
	snprintf(a->tags, sizeof(a->tags), "甲%lu;乙%lu", a->row + 1, a->row + 1);
	snprintf(a->icp, sizeof(a->icp), "滇ICP备2024%06lu号-1A", (a->row + 1) % 1000000);
	set(&a->t, "id", a->id);
	set(&a->t, "name", a->name);
	set(&a->t, "host_unit", a->unit);
	set(&a->t, "form", "移动客户端");
	set(&a->t, "platform", "安卓/iOS");
	set(&a->t, "audience", "公众");
	set(&a->t, "function_tags", a->tags);
	set(&a->t, "launched_on", "2024-01-01");
	set(&a->t, "last_updated_on", "2026-05-01");
	set(&a->t, "status", "运行");
	set(&a->t, "registered_users", "10000");
	set(&a->t, "monthly_active_users", "5000");
	set(&a->t, "icp_filing", a->icp);
	static const char *const yes[] = {
		"icp_shown_on_home", "in_plan", "project_reviewed", "on_one_stop_platform", "on_gov_cloud",
		"acceptance_tested", "emergency_plan", "data_protection", "ops_monitoring", "complaint_channel",
		"formalism_complaint_zone",
	};
	static const char *const no[] = {
		"has_checkin", "has_points_ranking", "has_online_duration", "forced_features_exposed",
		"install_quota", "mandatory_login", "used_for_assessment", "requires_screenshots",
		"likes_in_evaluation", "ranking_in_notices", "duplicate_reporting",
	};
	for (size_t i = 0; i < N_ELEM(yes); i++)
		set(&a->t, yes[i], "是");
	for (size_t i = 0; i < N_ELEM(no); i++)
		set(&a->t, no[i], "否");
	set(&a->t, "last_drill_on", "2026-01-01");
}

static unsigned app_unit(const struct apps *a)
{
	return (unsigned)(a->row / 200);
}

static void app_row(struct apps *a, const char *set_spec, const char *expect_spec)
{
	char store[512];

	app_baseline(a, app_unit(a));
	apply(&a->t, set_spec, store, sizeof(store));
	emit(&a->t);
	expect_all(expect_spec, a->id);
	a->row++;
}

/* Two apps of one unit whose names are alike once APP/小程序 are set aside,
 * two of one unit with the same set of tags, two of different units whose
 * names are alike once their places are stripped and whose tags are the
 * same set, and the near misses of the last: same tags and unlike names,
 * alike names and other tags. */
static void app_pairs(struct apps *a)
{
	char x[32], p[16], name[96], tags[128], tags2[128];
	unsigned u = app_unit(a), v = (u + 4999) % 40000;

	rand_chars(x, 4);
	app_baseline(a, u);
	snprintf(name, sizeof(name), "%sAPP", x);
	set(&a->t, "name", name);
	emit(&a->t);
	expected("app.duplicate", a->id, 'V');
	a->row++;
	app_baseline(a, u);
	snprintf(name, sizeof(name), "%s小程序", x);
	set(&a->t, "name", name);
	set(&a->t, "form", "小程序");
	emit(&a->t);
	expected("app.duplicate", a->id, 'V');
	a->row++;

	snprintf(tags, sizeof(tags), "丙%lu;丁%lu;戊%lu", a->row, a->row, a->row);
	snprintf(tags2, sizeof(tags2), "戊%lu;丙%lu;丁%lu", a->row, a->row, a->row);
	app_baseline(a, u);
	set(&a->t, "function_tags", tags);
	emit(&a->t);
	expected("app.duplicate", a->id, 'V');
	a->row++;
	app_baseline(a, u);
	set(&a->t, "function_tags", tags2);
	emit(&a->t);
	expected("app.duplicate", a->id, 'V');
	a->row++;

	/* across units: 甲乙县X and 丙丁县X, same tags (in another order) */
	rand_chars(x, 4);
	snprintf(tags, sizeof(tags), "己%lu;庚%lu", a->row, a->row);
	snprintf(tags2, sizeof(tags2), "庚%lu;己%lu", a->row, a->row);
	app_baseline(a, u);
	place(p, u);
	snprintf(name, sizeof(name), "%s县%s", p, x);
	set(&a->t, "name", name);
	set(&a->t, "function_tags", tags);
	emit(&a->t);
	expected("app.duplicate_across", a->id, 'V');
	a->row++;
	app_baseline(a, v);
	place(p, v);
	snprintf(name, sizeof(name), "%s%s", p, x);	/* the stem alone: 丙丁X */
	set(&a->t, "name", name);
	set(&a->t, "function_tags", tags2);
	emit(&a->t);
	expected("app.duplicate_across", a->id, 'V');
	a->row++;
	/* near misses: the same tags with an unlike name; an alike name with
	 * other tags */
	app_baseline(a, (u + 2) % 40000);
	set(&a->t, "function_tags", tags);
	set(&a->t, "name", a->name);	/* random */
	snprintf(tags2, sizeof(tags2), "己%lu;辛%lu", a->row, a->row);
	emit(&a->t);
	a->row++;
	app_baseline(a, (u + 3) % 40000);
	place(p, (u + 3) % 40000);
	snprintf(name, sizeof(name), "%s县%s", p, x);
	set(&a->t, "name", name);
	set(&a->t, "function_tags", tags2);
	emit(&a->t);
	a->row++;
}

static const char *const app_headers[] = {
	"编号", "名称", "主办单位", "使用单位", "形态", "依托平台", "服务对象", "功能标签", "上线日期",
	"最近更新日期", "运行状态", "注册用户数", "月活跃用户数", "ICP备案号", "首页标示主办单位及备案号",
	"纳入信息化规划", "通过立项审核", "依托一站式平台", "部署于政务云", "打卡签到功能", "积分排名功能",
	"在线时长功能", "强制功能经审批", "强制功能数据向用户开放", "上线前验收", "下达下载安装指标",
	"强制定期登录", "作为考核督查载体", "要求上传截图视频", "点赞转发纳入考评", "积分排名用于通报考评",
	"同一数据多头填报", "制定应急预案", "最近应急演练日期", "数据和个人信息保护措施", "运行监测",
	"投诉建议功能", "形式主义问题投诉专区", "截图视频确属必要", "停用日期", "注销前发布公告",
	"相关数据依规处置", "备注",
};

static void write_apps(const char *dir, unsigned long cycles, unsigned long rows)
{
	struct apps a = { .t = { app_keys, N_ELEM(app_keys), NULL, NULL } };

	a.t.val = a.val;
	a.t.f = open_out(dir, "apps.csv");
	for (size_t i = 0; i < N_ELEM(app_headers); i++)
		fprintf(a.t.f, "%s%s", i ? "," : "", app_headers[i]);
	fputc('\n', a.t.f);
	if (rows) {
		/* Every case, each followed by a clean row, again and again. */
		while (a.row < rows) {
			for (size_t k = 0; k < N_ELEM(app_cases) && a.row < rows; k++) {
				app_row(&a, app_cases[k].set, app_cases[k].expect);
				if (a.row < rows)
					app_row(&a, NULL, NULL);
			}
			if (a.row + 8 <= rows)
				app_pairs(&a);
		}
	} else {
		for (unsigned long c = 0; c < cycles; c++) {
			app_row(&a, NULL, NULL);
			for (size_t k = 0; k < N_ELEM(app_cases); k++)
				app_row(&a, app_cases[k].set, app_cases[k].expect);
			app_pairs(&a);
		}
	}
	close_out(a.t.f);
}

/* ---- accounts ---- */

static const char *const acc_keys[] = {
	"id", "name", "host_unit", "platform", "registered_on", "followers", "last_post_on",
	"posts_last_90d", "status", "forced_follow", "likes_in_evaluation", "note",
};

static const struct pcase acc_cases[] = {
	{ "last_post_on=2025-10-01|posts_last_90d=0", "account.stale=V" },
	{ "posts_last_90d=2", "account.stale=V" },
	{ "last_post_on=", "account.stale=U" },
	{ "last_post_on=|posts_last_90d=2", "account.stale=V" },
	{ "last_post_on=2026-01-15|posts_last_90d=5", "account.stale=U" },	/* posts with no recent post */
	{ "forced_follow=是", "account.forced_follow=V" },
	{ "forced_follow=", "account.forced_follow=U" },
	{ "likes_in_evaluation=是", "account.likes_in_evaluation=V" },
	{ "likes_in_evaluation=", "account.likes_in_evaluation=U" },
	{ "status=停用|forced_follow=是|last_post_on=2023-01-01", NULL },
};

struct accs {
	struct table t;
	const char *val[N_ELEM(acc_keys)];
	unsigned long row, unit;
	char id[32], name[64], unitname[96];
};

/* A clean account of a unit of its own, unless unit is given. */
static void acc_baseline(struct accs *a, const char *unit)
{
	memset(a->val, 0, sizeof(a->val));
	snprintf(a->id, sizeof(a->id), "ACC-%06lu", a->row + 1);
	rand_chars(a->name, 4);
	if (unit)
		snprintf(a->unitname, sizeof(a->unitname), "%s", unit);
	else
		snprintf(a->unitname, sizeof(a->unitname), "账号单位%lu", ++a->unit);
	set(&a->t, "id", a->id);
	set(&a->t, "name", a->name);
	set(&a->t, "host_unit", a->unitname);
	set(&a->t, "platform", "微信公众号");
	set(&a->t, "registered_on", "2022-01-01");
	set(&a->t, "followers", "3000");
	set(&a->t, "last_post_on", "2026-06-01");
	set(&a->t, "posts_last_90d", "20");
	set(&a->t, "status", "运行");
	set(&a->t, "forced_follow", "否");
	set(&a->t, "likes_in_evaluation", "否");
}

static void acc_row(struct accs *a, const char *unit, const char *set_spec, const char *expect_spec)
{
	char store[512];

	acc_baseline(a, unit);
	apply(&a->t, set_spec, store, sizeof(store));
	emit(&a->t);
	expect_all(expect_spec, a->id);
	a->row++;
}

/* Accounts of one unit per platform, against max_accounts_per_platform = 2:
 * three on 微博 are too many; two are not; two and one of unknown platform
 * may be; one and one of unknown platform cannot be; a stopped one does not
 * count. */
static void acc_counts(struct accs *a)
{
	char u[96];

	snprintf(u, sizeof(u), "计数单位%lu甲", a->row);
	for (int i = 0; i < 3; i++)
		acc_row(a, u, "platform=微博", "account.too_many=V");
	snprintf(u, sizeof(u), "计数单位%lu乙", a->row);
	for (int i = 0; i < 2; i++)
		acc_row(a, u, "platform=微博", NULL);
	acc_row(a, u, "platform=微博|status=停用", NULL);
	snprintf(u, sizeof(u), "计数单位%lu丙", a->row);
	for (int i = 0; i < 2; i++)
		acc_row(a, u, "platform=微博", "account.too_many=U");
	acc_row(a, u, "platform=", "account.too_many=U");
	snprintf(u, sizeof(u), "计数单位%lu丁", a->row);
	acc_row(a, u, "platform=微博", NULL);
	acc_row(a, u, "platform=", NULL);
}

static void write_accounts(const char *dir, unsigned long cycles)
{
	static const char *const headers[] = {
		"编号", "名称", "主办单位", "平台", "注册日期", "关注人数", "最近发布日期", "近90天发布数",
		"运行状态", "强制要求关注", "点赞转发纳入考评", "备注",
	};
	struct accs a = { .t = { acc_keys, N_ELEM(acc_keys), NULL, NULL } };

	a.t.val = a.val;
	a.t.f = open_out(dir, "accounts.csv");
	for (size_t i = 0; i < N_ELEM(headers); i++)
		fprintf(a.t.f, "%s%s", i ? "," : "", headers[i]);
	fputc('\n', a.t.f);
	for (unsigned long c = 0; c < cycles; c++) {
		acc_row(&a, NULL, NULL, NULL);
		for (size_t k = 0; k < N_ELEM(acc_cases); k++)
			acc_row(&a, NULL, acc_cases[k].set, acc_cases[k].expect);
		acc_counts(&a);
	}
	close_out(a.t.f);
}

/* ---- groups ---- */

static const char *const grp_keys[] = {
	"id", "name", "host_unit", "platform", "owner", "members", "purpose", "created_on",
	"last_active_on", "status", "requires_checkin", "requires_instant_reply", "assigns_tasks_adhoc",
	"requires_screenshots", "checkin_necessary", "instant_reply_necessary", "screenshots_necessary",
	"duplicate_of", "note",
};

static const struct pcase grp_cases[] = {
	{ "requires_checkin=是|checkin_necessary=否", "group.forced_checkin=V" },
	{ "requires_checkin=是|checkin_necessary=", "group.forced_checkin=U" },
	{ "requires_checkin=是|checkin_necessary=是", NULL },
	{ "requires_checkin=", "group.forced_checkin=U" },
	{ "requires_checkin=|checkin_necessary=是", NULL },
	{ "requires_instant_reply=是|instant_reply_necessary=否", "group.instant_reply=V" },
	{ "requires_instant_reply=是|instant_reply_necessary=", "group.instant_reply=U" },
	{ "requires_instant_reply=是|instant_reply_necessary=是", NULL },
	{ "requires_instant_reply=", "group.instant_reply=U" },
	{ "requires_screenshots=是|screenshots_necessary=否", "group.screenshots=V" },
	{ "requires_screenshots=是|screenshots_necessary=", "group.screenshots=U" },
	{ "requires_screenshots=是|screenshots_necessary=是", NULL },
	{ "requires_screenshots=", "group.screenshots=U" },
	{ "assigns_tasks_adhoc=是", "group.adhoc_tasks=V" },
	{ "assigns_tasks_adhoc=", "group.adhoc_tasks=U" },
	{ "last_active_on=2025-06-01", "group.idle=V" },
	{ "last_active_on=", "group.idle=U" },
	{ "status=已解散|requires_checkin=是|checkin_necessary=否|last_active_on=2023-01-01", NULL },
	{ "status=停用|requires_screenshots=是|screenshots_necessary=否", NULL },
};

static void write_groups(const char *dir, unsigned long cycles)
{
	static const char *const headers[] = {
		"编号", "群组名称", "建群单位", "平台", "群主", "成员数", "用途", "建群日期", "最近活跃日期",
		"运行状态", "要求打卡接龙", "要求即时响应", "随意摊派任务索要材料", "要求上传截图视频",
		"打卡接龙确属工作必需", "即时响应确属工作必需", "截图视频确属必要", "与之重复的群组编号", "备注",
	};
	struct table t = { grp_keys, N_ELEM(grp_keys), NULL, NULL };
	const char *val[N_ELEM(grp_keys)];
	unsigned long row = 0;
	char id[32], prev[32] = "", name[64], unit[96];

	t.val = val;
	t.f = open_out(dir, "groups.csv");
	for (size_t i = 0; i < N_ELEM(headers); i++)
		fprintf(t.f, "%s%s", i ? "," : "", headers[i]);
	fputc('\n', t.f);
	for (unsigned long c = 0; c < cycles; c++) {
		/* k = -1: a clean group; then the cases; then a duplicate of
		 * the clean one, and one that names itself. */
		for (long k = -1; k < (long)N_ELEM(grp_cases) + 2; k++) {
			char store[512];

			memset(val, 0, sizeof(val));
			snprintf(id, sizeof(id), "GRP-%06lu", row + 1);
			rand_chars(name, 5);
			unit_name(unit, sizeof(unit), (unsigned)(row / 50));
			set(&t, "id", id);
			set(&t, "name", name);
			set(&t, "host_unit", unit);
			set(&t, "platform", "微信");
			set(&t, "owner", "张三");
			set(&t, "members", "20");
			set(&t, "purpose", "工作通知");
			set(&t, "created_on", "2024-01-01");
			set(&t, "last_active_on", "2026-06-01");
			set(&t, "status", "运行");
			set(&t, "requires_checkin", "否");
			set(&t, "requires_instant_reply", "否");
			set(&t, "assigns_tasks_adhoc", "否");
			set(&t, "requires_screenshots", "否");
			if (k >= 0 && k < (long)N_ELEM(grp_cases)) {
				apply(&t, grp_cases[k].set, store, sizeof(store));
				expect_all(grp_cases[k].expect, id);
			} else if (k == (long)N_ELEM(grp_cases)) {
				set(&t, "duplicate_of", prev);
				expected("group.duplicate", id, 'V');
			} else if (k == (long)N_ELEM(grp_cases) + 1) {
				set(&t, "duplicate_of", id);
				expected("group.duplicate", id, 'U');	/* a duplicate of itself */
			}
			if (k == -1)
				snprintf(prev, sizeof(prev), "%s", id);
			emit(&t);
			row++;
		}
	}
	close_out(t.f);
}

int main(int argc, char **argv)
{
	unsigned long cycles = 1, rows = 0;
	char *end;

	if (argc < 2 || argc > 4)
		die("usage: plant DIR [CYCLES] | plant DIR --rows N");
	if (argc == 3) {
		cycles = strtoul(argv[2], &end, 10);
		if (*end || !cycles)
			die("'%s' is not a number of cycles", argv[2]);
	} else if (argc == 4) {
		if (strcmp(argv[2], "--rows"))
			die("usage: plant DIR [CYCLES] | plant DIR --rows N");
		rows = strtoul(argv[3], &end, 10);
		if (*end || rows < 10)
			die("'%s' is not a number of rows (10 or more)", argv[3]);
	}
	pool_n = (int)(strlen(pool) / 3);
	rng = 20260630;
	expect = open_out(argv[1], "expected.csv");
	write_apps(argv[1], cycles, rows);
	write_accounts(argv[1], rows ? 1 : cycles);
	write_groups(argv[1], rows ? 1 : cycles);
	close_out(expect);
	return 0;
}
