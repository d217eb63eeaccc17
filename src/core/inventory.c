#include "core/inventory.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/i18n.h"

static const struct inv_enum_value form_values[] = {
	{ "移动客户端", "客户端|app|移动应用|mobile app|client" },
	{ "小程序", "mini program|miniprogram|微信小程序|支付宝小程序" },
	{ "快应用", "quick app|quickapp" },
	{ NULL, NULL },
};

static const struct inv_enum_value audience_values[] = {
	{ "公众", "public|面向公众" },
	{ "内部", "internal|面向内部|内部工作人员" },
	{ "公众和内部", "both|public and internal|公众及内部|公众、内部" },
	{ NULL, NULL },
};

static const struct inv_enum_value app_status_values[] = {
	{ "运行", "running|active|运行中|在用|正常" },
	{ "停用", "suspended|stopped|inactive|暂停" },
	{ "已注销", "cancelled|canceled|deregistered|注销|已关停|关停" },
	{ NULL, NULL },
};

static const struct inv_enum_value group_status_values[] = {
	{ "运行", "running|active|运行中|在用|正常" },
	{ "停用", "suspended|stopped|inactive|暂停" },
	{ "已解散", "dissolved|解散" },
	{ NULL, NULL },
};

#define REQ 1
static const struct inv_column app_cols[] = {
	{ "id", "编号", COL_TEXT, REQ, NULL },
	{ "name", "名称", COL_TEXT, REQ, NULL },
	{ "host_unit", "主办单位", COL_TEXT, REQ, NULL },
	{ "user_units", "使用单位", COL_LIST, 0, NULL },
	{ "form", "形态", COL_ENUM, 0, form_values },
	{ "platform", "依托平台", COL_TEXT, 0, NULL },
	{ "audience", "服务对象", COL_ENUM, 0, audience_values },
	{ "function_tags", "功能标签", COL_LIST, 0, NULL },
	{ "launched_on", "上线日期", COL_DATE, 0, NULL },
	{ "last_updated_on", "最近更新日期", COL_DATE, 0, NULL },
	{ "status", "运行状态", COL_ENUM, 0, app_status_values },
	{ "registered_users", "注册用户数", COL_INT, 0, NULL },
	{ "monthly_active_users", "月活跃用户数", COL_INT, 0, NULL },
	{ "icp_filing", "ICP备案号", COL_FILING, 0, NULL },
	{ "icp_shown_on_home", "首页标示主办单位及备案号", COL_BOOL, 0, NULL },
	{ "in_plan", "纳入信息化规划", COL_BOOL, 0, NULL },
	{ "project_reviewed", "通过立项审核", COL_BOOL, 0, NULL },
	{ "on_one_stop_platform", "依托一站式平台", COL_BOOL, 0, NULL },
	{ "on_gov_cloud", "部署于政务云", COL_BOOL, 0, NULL },
	{ "has_checkin", "打卡签到功能", COL_BOOL, 0, NULL },
	{ "has_points_ranking", "积分排名功能", COL_BOOL, 0, NULL },
	{ "has_online_duration", "在线时长功能", COL_BOOL, 0, NULL },
	{ "forced_features_approved", "强制功能经审批", COL_BOOL, 0, NULL },
	{ "forced_features_exposed", "强制功能数据向用户开放", COL_BOOL, 0, NULL },
	{ "acceptance_tested", "上线前验收", COL_BOOL, 0, NULL },
	{ "install_quota", "下达下载安装指标", COL_BOOL, 0, NULL },
	{ "mandatory_login", "强制定期登录", COL_BOOL, 0, NULL },
	{ "used_for_assessment", "作为考核督查载体", COL_BOOL, 0, NULL },
	{ "requires_screenshots", "要求上传截图视频", COL_BOOL, 0, NULL },
	{ "likes_in_evaluation", "点赞转发纳入考评", COL_BOOL, 0, NULL },
	{ "ranking_in_notices", "积分排名用于通报考评", COL_BOOL, 0, NULL },
	{ "duplicate_reporting", "同一数据多头填报", COL_BOOL, 0, NULL },
	{ "emergency_plan", "制定应急预案", COL_BOOL, 0, NULL },
	{ "last_drill_on", "最近应急演练日期", COL_DATE, 0, NULL },
	{ "data_protection", "数据和个人信息保护措施", COL_BOOL, 0, NULL },
	{ "ops_monitoring", "运行监测", COL_BOOL, 0, NULL },
	{ "complaint_channel", "投诉建议功能", COL_BOOL, 0, NULL },
	{ "formalism_complaint_zone", "形式主义问题投诉专区", COL_BOOL, 0, NULL },
	{ "screenshots_necessary", "截图视频确属必要", COL_BOOL, 0, NULL },
	{ "stopped_on", "停用日期", COL_DATE, 0, NULL },
	{ "deregistration_announced", "注销前发布公告", COL_BOOL, 0, NULL },
	{ "data_disposed", "相关数据依规处置", COL_BOOL, 0, NULL },
	{ "note", "备注", COL_TEXT, 0, NULL },
};

static const struct inv_column account_cols[] = {
	{ "id", "编号", COL_TEXT, REQ, NULL },
	{ "name", "名称", COL_TEXT, REQ, NULL },
	{ "host_unit", "主办单位", COL_TEXT, REQ, NULL },
	{ "platform", "平台", COL_TEXT, 0, NULL },
	{ "registered_on", "注册日期", COL_DATE, 0, NULL },
	{ "followers", "关注人数", COL_INT, 0, NULL },
	{ "last_post_on", "最近发布日期", COL_DATE, 0, NULL },
	{ "posts_last_90d", "近90天发布数", COL_INT, 0, NULL },
	{ "status", "运行状态", COL_ENUM, 0, app_status_values },
	{ "forced_follow", "强制要求关注", COL_BOOL, 0, NULL },
	{ "likes_in_evaluation", "点赞转发纳入考评", COL_BOOL, 0, NULL },
	{ "note", "备注", COL_TEXT, 0, NULL },
};

static const struct inv_column group_cols[] = {
	{ "id", "编号", COL_TEXT, REQ, NULL },
	{ "name", "群组名称", COL_TEXT, REQ, NULL },
	{ "host_unit", "建群单位", COL_TEXT, REQ, NULL },
	{ "platform", "平台", COL_TEXT, 0, NULL },
	{ "owner", "群主", COL_TEXT, 0, NULL },
	{ "members", "成员数", COL_INT, 0, NULL },
	{ "purpose", "用途", COL_TEXT, 0, NULL },
	{ "created_on", "建群日期", COL_DATE, 0, NULL },
	{ "last_active_on", "最近活跃日期", COL_DATE, 0, NULL },
	{ "status", "运行状态", COL_ENUM, 0, group_status_values },
	{ "requires_checkin", "要求打卡接龙", COL_BOOL, 0, NULL },
	{ "requires_instant_reply", "要求即时响应", COL_BOOL, 0, NULL },
	{ "assigns_tasks_adhoc", "随意摊派任务索要材料", COL_BOOL, 0, NULL },
	{ "requires_screenshots", "要求上传截图视频", COL_BOOL, 0, NULL },
	{ "checkin_necessary", "打卡接龙确属工作必需", COL_BOOL, 0, NULL },
	{ "instant_reply_necessary", "即时响应确属工作必需", COL_BOOL, 0, NULL },
	{ "screenshots_necessary", "截图视频确属必要", COL_BOOL, 0, NULL },
	{ "duplicate_of", "与之重复的群组编号", COL_TEXT, 0, NULL },
	{ "note", "备注", COL_TEXT, 0, NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const struct inventory inventories[INV_COUNT] = {
	{ INV_APPS, "apps", "inv_apps", "政务应用程序", "app", app_cols, N(app_cols) },
	{ INV_ACCOUNTS, "accounts", "inv_accounts", "政务公众账号", "account", account_cols, N(account_cols) },
	{ INV_GROUPS, "groups", "inv_groups", "工作群组", "group", group_cols, N(group_cols) },
};

const struct inventory *inventory_get(enum inv_kind kind)
{
	return kind < INV_COUNT ? &inventories[kind] : NULL;
}

const char *inventory_title_word(int kind)
{
	const struct inventory *inv = kind >= 0 && kind < INV_COUNT ? &inventories[kind] : NULL;

	return !inv ? "" : i18n_chinese_labels() ? inv->title : inv->name;
}

const struct inventory *inventory_by_name(const char *name)
{
	for (size_t i = 0; i < INV_COUNT; i++)
		if (!strcmp(inventories[i].name, name))
			return &inventories[i];
	return NULL;
}

int inventory_find_column(const struct inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->ncols; i++)
		if (!strcasecmp(inv->cols[i].key, name) || !strcmp(inv->cols[i].header, name))
			return (int)i;
	return -1;
}

/* Matches s[0..len) against one '|'-separated alias list entry by entry. */
static int alias_match(const char *aliases, const char *s, size_t len)
{
	const char *p = aliases;

	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (n == len && !strncasecmp(p, s, len))
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

const char *inventory_enum_value(const struct inv_column *col, const char *s, size_t len)
{
	for (const struct inv_enum_value *v = col->values; v && v->value; v++)
		if ((strlen(v->value) == len && !memcmp(v->value, s, len)) ||
		    alias_match(v->aliases, s, len))
			return v->value;
	return NULL;
}

const char *inventory_enum_list(const struct inv_column *col)
{
	static char buf[256];
	size_t off = 0;

	buf[0] = '\0';
	for (const struct inv_enum_value *v = col->values; v && v->value; v++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s",
				off ? ", " : "", v->value);
	return buf;
}

const char *inventory_ddl(const struct inventory *inv)
{
	static char buf[INV_COUNT][4096];
	char *b = buf[inv->kind];
	size_t off;

	off = (size_t)snprintf(b, sizeof(buf[0]),
			       "CREATE TABLE %s (rowid INTEGER PRIMARY KEY", inv->table);
	for (size_t i = 0; i < inv->ncols; i++) {
		const struct inv_column *c = &inv->cols[i];
		const char *t = c->type == COL_INT || c->type == COL_BOOL ? "INTEGER" : "TEXT";

		off += (size_t)snprintf(b + off, sizeof(buf[0]) - off, ", %s %s%s%s",
					c->key, t, c->required ? " NOT NULL" : "",
					!strcmp(c->key, "id") ? " UNIQUE" : "");
	}
	snprintf(b + off, sizeof(buf[0]) - off,
		 ", extra TEXT, batch INTEGER NOT NULL, src_line INTEGER)");
	return b;
}
