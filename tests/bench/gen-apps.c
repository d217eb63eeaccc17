/*
 * gen-apps: write a realistic, deterministic apps inventory CSV for benchmarks.
 *
 *   gen-apps ROWS [SEED] > apps.csv
 *
 * The header is the Chinese header of the apps contract in DESIGN.md, in its
 * documented order; rows are APP-0000001 onwards.  Host units come from about
 * 5,000 fictional units (169 counties x 30 departments).  Each row carries a
 * mix of the article 3-14 problems at 5-15% rates, about 3% empty (unknown)
 * cells, near-duplicate names within a unit ("X", "XAPP", "X小程序"), dates in
 * the three accepted forms, booleans as 是/否, Y/N or 1/0, and a few quoted
 * notes with commas and quotes.  Ages are meant against the as-of date
 * 2026-06-30.  Same ROWS and SEED give the same bytes on every platform.
 *
 * Only libc (it also links with -lm); integer and exact IEEE arithmetic
 * only, no locale or wall-clock dependence.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- PRNG */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static uint32_t rng_below(uint32_t n)
{
	return (uint32_t)(((rng_next() >> 32) * (uint64_t)n) >> 32);
}

/* uniform in [0, 1) */
static double rng_unit(void)
{
	return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

static int chance(double p)
{
	return rng_unit() < p;
}

#define PICK(a) ((a)[rng_below((uint32_t)N_ELEM(a))])

/* ---------------------------------------------------------------- output */

static char outbuf[1 << 20];
static size_t outlen;

static void flush_out(void)
{
	if (outlen && fwrite(outbuf, 1, outlen, stdout) != outlen) {
		fprintf(stderr, "gen-apps: write error: %s\n", strerror(errno));
		exit(1);
	}
	outlen = 0;
}

static void put_mem(const char *s, size_t n)
{
	if (outlen + n > sizeof(outbuf))
		flush_out();
	memcpy(outbuf + outlen, s, n);
	outlen += n;
}

static void put_str(const char *s)
{
	put_mem(s, strlen(s));
}

static void put_ch(char c)
{
	if (outlen + 1 > sizeof(outbuf))
		flush_out();
	outbuf[outlen++] = c;
}

static void put_uint(uint64_t v)
{
	char tmp[24];
	int i = (int)sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_mem(tmp + i, sizeof(tmp) - (size_t)i);
}

static void put_uint_w(uint64_t v, int width)
{
	char tmp[24];
	int i = (int)sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
		width--;
	} while (v || width > 0);
	put_mem(tmp + i, sizeof(tmp) - (size_t)i);
}

/* A field, quoted as RFC 4180 wants when it holds a comma, quote or newline. */
static void put_field(const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		put_str(s);
		return;
	}
	put_ch('"');
	for (; *s; s++) {
		if (*s == '"')
			put_ch('"');
		put_ch(*s);
	}
	put_ch('"');
}

/* ---------------------------------------------------------------- vocabulary */

static const char *const county_a[] = {
	"青", "云", "清", "石", "柳", "安", "永", "长", "平", "新", "宁", "丰", "和",
};
static const char *const county_b[] = {
	"禾", "台", "水", "桥", "河", "源", "川", "阳", "江", "山", "溪", "林", "泉",
};

struct dept {
	const char *pre;   /* before the county name, e.g. 中共 */
	const char *post;  /* after 县, e.g. 教育局 */
	int theme;         /* index into themes[] */
};

enum {
	T_GOV, T_EDU, T_HEALTH, T_POLICE, T_CIVIL, T_HR, T_EMERG, T_MARKET, T_AGRI,
	T_BUILD, T_MEDIA, T_PARTY, T_PROP, T_PETITION, T_LAND, T_WATER, T_CULT,
	T_TRAFFIC, T_ENV, T_COUNT
};

static const struct dept depts[30] = {
	{ "", "县人民政府办公室", T_GOV },       { "", "县政务服务中心", T_GOV },
	{ "", "县教育局", T_EDU },               { "", "县卫生健康局", T_HEALTH },
	{ "", "县公安局", T_POLICE },            { "", "县民政局", T_CIVIL },
	{ "", "县人力资源和社会保障局", T_HR },  { "", "县应急管理局", T_EMERG },
	{ "", "县市场监督管理局", T_MARKET },    { "", "县农业农村局", T_AGRI },
	{ "", "县住房和城乡建设局", T_BUILD },   { "", "县融媒体中心", T_MEDIA },
	{ "中共", "县委组织部", T_PARTY },       { "中共", "县委宣传部", T_PROP },
	{ "", "县信访局", T_PETITION },          { "", "县自然资源局", T_LAND },
	{ "", "县水务局", T_WATER },             { "", "县文化和旅游局", T_CULT },
	{ "", "县交通运输局", T_TRAFFIC },       { "", "县生态环境分局", T_ENV },
	{ "", "县医疗保障局", T_HEALTH },        { "", "县退役军人事务局", T_CIVIL },
	{ "", "县司法局", T_GOV },               { "", "县统计局", T_GOV },
	{ "", "县林业和草原局", T_LAND },        { "", "县商务局", T_MARKET },
	{ "", "县乡村振兴局", T_AGRI },          { "", "县住房公积金管理中心", T_BUILD },
	{ "", "县城市管理综合执法局", T_BUILD }, { "中共", "县纪委监委", T_PARTY },
};

/* name stems per theme; a name is [place] [qualifier] stem [tail] [form suffix] */
static const char *const stems[T_COUNT][16] = {
	[T_GOV] = { "政务通", "政务服务", "掌上办", "一网通办", "便民服务", "办事通", "好差评", "惠企通",
		"督查督办", "公文流转", "12345", "证照管理", "政策兑现", "营商环境", "协同办公", "数据填报" },
	[T_EDU] = { "教育", "教育云", "家校通", "云课堂", "校园", "学籍查询", "招生入学", "教师研修",
		"课后服务", "双减监管", "校园安全", "学生资助", "作业管理", "教育督导", "阅读", "体质健康" },
	[T_HEALTH] = { "健康", "医疗", "预约挂号", "家庭医生", "医保", "健康档案", "疫苗接种", "互联网医院",
		"妇幼保健", "慢病管理", "基层卫生", "医共体", "药品监管", "120急救", "公卫随访", "健康码" },
	[T_POLICE] = { "平安", "警务通", "户政", "交管", "反诈", "巡防", "警务", "出入境",
		"社区警务", "治安防控", "群防群治", "车驾管", "警民通", "雪亮工程", "重点人员管控", "110" },
	[T_CIVIL] = { "社区", "养老", "社区通", "婚姻登记", "社会救助", "慈善", "志愿者", "网格通",
		"低保核查", "残疾人服务", "殡葬服务", "儿童关爱", "优抚", "退役军人", "邻里", "居家养老" },
	[T_HR] = { "人社通", "就业", "社保认证", "技能培训", "人才", "劳动维权", "零工市场", "社保",
		"创业担保", "职称评审", "工资支付监管", "劳动仲裁", "招聘", "人事考试", "根治欠薪", "就业见习" },
	[T_EMERG] = { "应急通", "安全生产检查", "防汛抗旱", "隐患排查", "应急指挥", "森林防火", "灾害预警", "值班值守",
		"危化品监管", "应急物资", "安全培训", "地灾监测", "救灾", "执法检查", "消防安全", "风险普查" },
	[T_MARKET] = { "市场监管", "食安追溯", "消费维权", "企业开办", "信用", "消费券", "计量", "特种设备",
		"明厨亮灶", "价格监测", "知识产权", "广告监测", "校园食安", "冷链追溯", "个体工商", "质量监督" },
	[T_AGRI] = { "农技通", "防返贫监测", "惠农补贴", "农业", "乡村振兴", "农产品溯源", "高标准农田", "村务公开",
		"动物防疫", "耕地地力", "农机", "农村三资", "驻村帮扶", "农业保险", "种粮补贴", "宅基地" },
	[T_BUILD] = { "住建通", "自建房排查", "工地", "物业", "公积金", "房产交易", "城管通", "燃气安全",
		"农房建设", "老旧小区", "建筑市场", "工程质量", "保障房", "市政设施", "渣土监管", "停车" },
	[T_MEDIA] = { "掌上", "融媒", "新闻", "云直播", "发布", "视听", "爆料", "云上",
		"学习", "看点", "头条", "号", "直播间", "广播", "电视", "报" },
	[T_PARTY] = { "党建学习", "党建考核", "干部在线学习", "党建", "组工通", "党员e家", "清风", "廉政教育",
		"干部监督", "三会一课", "党费", "人才工作", "驻村考勤", "党员积分", "监督执纪", "巡察" },
	[T_PROP] = { "宣传积分", "文明实践", "理论学习", "网评", "文明创建", "志愿服务", "学习", "网信",
		"文明积分", "宣讲", "好人榜", "舆情", "融媒", "文艺", "红色教育", "家风" },
	[T_PETITION] = { "信访", "网上信访", "阳光信访", "民情通", "热线", "诉求直通车", "矛盾调处", "接诉即办",
		"领导接访", "信访积案", "民生诉求", "调解", "初信初访", "信访督查", "民意", "群众工作" },
	[T_LAND] = { "不动产登记", "自然资源巡查", "卫片核查", "林长制巡护", "耕地保护", "地质灾害巡查", "国土空间", "护林员巡护",
		"土地执法", "测绘", "矿产监管", "林权", "征地", "生态修复", "田长制", "防火巡护" },
	[T_WATER] = { "河长制巡河", "水务", "水利工程", "防汛", "供水", "河湖巡查", "水质监测", "节水",
		"水库巡查", "山洪预警", "灌区", "农村饮水", "水土保持", "取水", "排水", "堤防巡查" },
	[T_CULT] = { "文旅", "旅游", "图书馆", "文化云", "景区预约", "非遗", "体育健身", "文化馆",
		"博物馆", "全域旅游", "民宿", "文物巡查", "文化市场", "演出", "乡村旅游", "研学" },
	[T_TRAFFIC] = { "交通出行", "公交", "路政巡查", "客运", "停车", "农村公路", "出租车", "治超",
		"道路运输", "驾培", "公路养护", "交通执法", "物流", "网约车", "渡口", "桥梁巡检" },
	[T_ENV] = { "生态环境", "环保督查", "污染源监测", "秸秆禁烧", "生态巡查", "环境投诉", "碳普惠", "河湖长",
		"扬尘监测", "排污许可", "固废监管", "大气", "环评", "噪声", "危废", "生态" },
};

static const char *const qualifiers[16] = {
	"", "智慧", "数字", "掌上", "阳光", "云上", "指尖", "便民", "移动", "惠民", "幸福", "i", "e", "智能", "一键", "全民",
};

static const char *const tails[20] = {
	"", "服务", "管理", "监管", "监测", "调度", "督办", "助手", "在线", "工作台",
	"直通车", "一点通", "服务平台", "管理系统", "信息平台", "服务中心", "小助手", "专区", "综合平台", "云",
};

static const char *const tags[T_COUNT][8] = {
	[T_GOV] = { "办事", "查询", "预约", "投诉建议", "办事指南", "证照", "评价", "政策查询" },
	[T_EDU] = { "通知", "作业", "成绩查询", "家校沟通", "直播课", "报名", "学籍", "研修" },
	[T_HEALTH] = { "预约挂号", "报告查询", "健康档案", "签约", "医保结算", "疫苗预约", "问诊", "体检" },
	[T_POLICE] = { "户政办理", "交管业务", "出入境预约", "警情上报", "巡逻签到", "轨迹上报", "反诈预警", "线索举报" },
	[T_CIVIL] = { "社区通知", "报事报修", "养老补贴", "助餐预约", "救助申请", "志愿服务", "网格巡查", "民情日志" },
	[T_HR] = { "社保查询", "待遇认证", "招聘信息", "技能培训", "政策查询", "欠薪投诉", "零工登记", "补贴申领" },
	[T_EMERG] = { "预警发布", "值班值守", "隐患排查", "执法检查", "台账", "签到", "物资管理", "灾情上报" },
	[T_MARKET] = { "投诉举报", "信用查询", "食品安全", "追溯查询", "企业自查", "巡查上报", "消费券领取", "商户查询" },
	[T_AGRI] = { "农技咨询", "病虫害预警", "补贴查询", "入户走访", "信息采集", "打卡签到", "产品溯源", "村务公开" },
	[T_BUILD] = { "房产查询", "物业投诉", "施工许可", "排查录入", "照片上传", "公积金查询", "贷款进度", "燃气报修" },
	[T_MEDIA] = { "新闻", "直播", "政务服务", "爆料", "点播", "互动", "活动报名", "电子报" },
	[T_PARTY] = { "学习", "答题", "积分", "排行榜", "考核", "台账", "三会一课", "在线考试" },
	[T_PROP] = { "文章转发", "积分", "排行榜", "志愿服务", "活动报名", "理论学习", "网评", "线索征集" },
	[T_PETITION] = { "网上信访", "进度查询", "满意度评价", "诉求登记", "回访", "法律咨询", "调解", "督办" },
	[T_LAND] = { "不动产查询", "预约", "缴税", "卫片核查", "巡查打卡", "轨迹上报", "图斑处置", "问题上报" },
	[T_WATER] = { "巡河打卡", "问题上报", "轨迹上报", "水情监测", "缴费", "报修", "工程台账", "预警" },
	[T_CULT] = { "景区预约", "文化活动", "图书借阅", "场馆预约", "非遗展示", "导览", "票务", "活动报名" },
	[T_TRAFFIC] = { "出行查询", "公交到站", "路况", "停车缴费", "投诉建议", "巡查上报", "客运购票", "违章查询" },
	[T_ENV] = { "环境投诉", "监测数据", "巡查打卡", "问题上报", "执法检查", "信息公开", "积分兑换", "台账" },
};

static const char *const user_units[] = {
	"县直各部门", "各乡镇", "各乡镇;县直各部门", "全县中小学", "各村（社区）", "各派出所",
	"各乡镇卫生院", "驻村工作队", "各村（社区）网格员", "县直有关部门;各乡镇便民服务中心",
	"城区各社区居委会", "全县各级党组织", "全县公职人员", "县内企业",
};

static const char *const app_platforms[] = { "安卓/iOS", "安卓/iOS", "安卓", "安卓/iOS/鸿蒙" };
static const char *const mini_platforms[] = { "微信", "微信", "微信", "支付宝", "微信;支付宝", "抖音" };
static const char *const quick_platforms[] = { "华为;小米;OPPO;vivo", "快应用联盟" };

static const char *const icp_prov[] = {
	"京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙", "皖", "闽", "赣", "鲁", "豫",
	"鄂", "湘", "粤", "桂", "琼", "渝", "蜀", "黔", "滇", "藏", "陕", "甘", "青", "宁", "新",
};

static const char *const notes[] = {
	"全县统一入口", "运营方未提供月活统计", "专项工作结束，仍在运行", "由第三方公司免费提供",
	"二期项目另行开发，与一期并行运行", "部署于运营商机房托管服务器", "待发布注销公告",
	"验收材料在原承建单位，待调取", "已整合至一站式平台", "数据同时报送市级平台",
	"属安保特殊规定情形，经党委会审批", "汛期值班签到经应急委审批", "拟于年内关停注销",
	"巡查照片须每日上传, 已要求整改", "曾下达注册率指标, 2025年已停止",
	"据反映曾要求\"每人每周转发不少于5次\", 已整改", "名称中\"APP\"字样待规范",
	"积分排行对全体用户可见, 拟关闭", "2024年完成等保测评",
};

/* ---------------------------------------------------------------- dates */

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant) */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static long asof_day;

/* a date in one of the three accepted forms; forms mixed per cell */
static void put_date(long day)
{
	int y, m, d;
	uint32_t r = rng_below(100);

	civil_from_days(day, &y, &m, &d);
	if (r < 72) {
		put_uint((uint64_t)y);
		put_ch('-');
		put_uint_w((uint64_t)m, 2);
		put_ch('-');
		put_uint_w((uint64_t)d, 2);
	} else if (r < 90) {
		put_uint((uint64_t)y);
		put_ch('/');
		put_uint((uint64_t)m);
		put_ch('/');
		put_uint((uint64_t)d);
	} else {
		put_uint((uint64_t)y);
		put_str("年");
		put_uint((uint64_t)m);
		put_str("月");
		put_uint((uint64_t)d);
		put_str("日");
	}
}

/* ---------------------------------------------------------------- booleans */

enum { B_UNKNOWN = -1, B_NO = 0, B_YES = 1 };

static const char *const bool_forms[3][2] = {
	{ "否", "是" }, { "N", "Y" }, { "0", "1" },
};

static int bool_style;  /* per row: the clerk or the exporting system decides */

static void put_bool(int v)
{
	if (v != B_UNKNOWN)
		put_str(bool_forms[bool_style][v]);
}

#define P_UNKNOWN 0.03

/* value that is "bad" with probability p_bad, unknown with P_UNKNOWN */
static int flag(double p_bad, int bad_value)
{
	double r = rng_unit();

	if (r < P_UNKNOWN)
		return B_UNKNOWN;
	if (r < P_UNKNOWN + p_bad)
		return bad_value;
	return !bad_value;
}

/* ---------------------------------------------------------------- rows */

#define N_COUNTIES ((uint32_t)(N_ELEM(county_a) * N_ELEM(county_b)))
#define N_UNITS (N_COUNTIES * (uint32_t)N_ELEM(depts))

static const char header[] =
	"编号,名称,主办单位,使用单位,形态,依托平台,服务对象,功能标签,上线日期,最近更新日期,运行状态,"
	"注册用户数,月活跃用户数,ICP备案号,首页标示主办单位及备案号,纳入信息化规划,通过立项审核,"
	"依托一站式平台,部署于政务云,打卡签到功能,积分排名功能,在线时长功能,强制功能经审批,"
	"强制功能数据向用户开放,上线前验收,下达下载安装指标,强制定期登录,作为考核督查载体,"
	"要求上传截图视频,点赞转发纳入考评,积分排名用于通报考评,同一数据多头填报,制定应急预案,"
	"最近应急演练日期,数据和个人信息保护措施,运行监测,投诉建议功能,形式主义问题投诉专区,备注\n";

struct prev {
	uint32_t unit;
	int stem, place, qual, tail;
};

static void put_county(uint32_t c)
{
	put_str(county_a[c / N_ELEM(county_b)]);
	put_str(county_b[c % N_ELEM(county_b)]);
}

static void write_row(uint64_t n, struct prev *prev)
{
	uint32_t unit, county;
	const struct dept *dp;
	int stem, place, qual, tail, near_dup;
	long launched, updated;
	int form, running, zombie;
	uint64_t reg, mau;

	/* host unit; about 5% of rows are a near-duplicate of the previous
	 * row's app: same unit, same stem, another form suffix */
	near_dup = n > 1 && chance(0.05);
	if (near_dup) {
		unit = prev->unit;
		stem = prev->stem;
		place = prev->place;
		qual = prev->qual;
		tail = prev->tail;
	} else {
		unit = rng_below(N_UNITS);
		stem = (int)rng_below(16);
		place = (int)rng_below(4);
		qual = (int)rng_below(16);
		tail = (int)rng_below(20);
	}
	county = unit / (uint32_t)N_ELEM(depts);
	dp = &depts[unit % N_ELEM(depts)];
	prev->unit = unit;
	prev->stem = stem;
	prev->place = place;
	prev->qual = qual;
	prev->tail = tail;

	form = (int)rng_below(100);
	form = form < 55 ? 0 : form < 95 ? 1 : 2;

	/* 编号 */
	put_str("APP-");
	put_uint_w(n, 7);
	put_ch(',');

	/* 名称: [place] [qualifier] stem [tail] [form suffix] */
	if (place == 1) {
		put_county(county);
	} else if (place == 2) {
		put_county(county);
		put_str("县");
	}
	put_str(qualifiers[qual]);
	put_str(stems[dp->theme][stem]);
	put_str(tails[tail]);
	if (near_dup)
		put_str(form == 1 ? "小程序" : chance(0.5) ? "APP" : "客户端");
	else if (tail < 12 && chance(form == 1 ? 0.3 : 0.12))
		put_str(form == 1 ? "小程序" : "APP");
	put_ch(',');

	/* 主办单位 */
	put_str(dp->pre);
	put_county(county);
	put_str(dp->post);
	put_ch(',');

	/* 使用单位 */
	if (chance(0.35))
		put_str(PICK(user_units));
	put_ch(',');

	/* 形态, 依托平台 */
	put_str(form == 0 ? "移动客户端" : form == 1 ? "小程序" : "快应用");
	put_ch(',');
	put_str(form == 0 ? PICK(app_platforms) : form == 1 ? PICK(mini_platforms) : PICK(quick_platforms));
	put_ch(',');

	/* 服务对象 */
	{
		uint32_t r = rng_below(100);
		put_str(r < 50 ? "公众" : r < 85 ? "内部" : "公众和内部");
		put_ch(',');
	}

	/* 功能标签: 2-4 distinct tags of the department's theme */
	{
		int k = 2 + (int)rng_below(3), used = 0, i;
		for (i = 0; i < k; i++) {
			int t;
			do
				t = (int)rng_below(8);
			while (used & (1 << t));
			used |= 1 << t;
			if (i)
				put_ch(';');
			put_str(tags[dp->theme][t]);
		}
		put_ch(',');
	}

	/* 运行状态 decides the rest of the life cycle */
	{
		uint32_t r = rng_below(100);
		running = r < 60 ? 1 : r < 88 ? 0 : -1;  /* 运行 / 停用 / 已注销 */
	}
	zombie = running == 1 && chance(0.08);

	launched = days_from_civil(2016, 1, 1) + (long)rng_below((uint32_t)(asof_day - days_from_civil(2016, 1, 1) - 30));
	if (zombie || running != 1) {
		long span = asof_day - 400 - launched;
		updated = span > 0 ? launched + (long)rng_below((uint32_t)span) : launched;
	} else {
		long lo = launched > asof_day - 330 ? launched : asof_day - 330;
		updated = lo + (long)rng_below((uint32_t)(asof_day - lo + 1));
		if (chance(0.1))  /* not updated for long, but still used */
			updated = launched + (long)rng_below((uint32_t)(asof_day - launched + 1));
	}

	/* 上线日期, 最近更新日期, 运行状态 */
	put_date(launched);
	put_ch(',');
	if (!chance(P_UNKNOWN))
		put_date(updated);
	put_ch(',');
	put_str(running == 1 ? "运行" : running == 0 ? "停用" : "已注销");
	put_ch(',');

	/* 注册用户数, 月活跃用户数 */
	/* log-uniform-ish from 20 to 399,999, in integers so that no libm
	 * rounding can make two platforms disagree */
	{
		static const uint32_t lo[] = { 20, 100, 1000, 10000, 100000 };
		static const uint32_t hi[] = { 100, 1000, 10000, 100000, 400000 };
		uint32_t d = rng_below(5);
		reg = lo[d] + rng_below(hi[d] - lo[d]);
	}
	if (zombie || running != 1) {
		mau = rng_below(100);
		if (mau > reg)
			mau = reg;
	} else
		mau = (uint64_t)((double)reg * (0.02 + rng_unit() * 0.6));
	put_uint(reg);
	put_ch(',');
	if (!chance(P_UNKNOWN))
		put_uint(mau);
	put_ch(',');

	/* ICP备案号: empty = none (6%) */
	if (!chance(0.06)) {
		int yr, mo, dd;
		civil_from_days(launched - (long)rng_below(90), &yr, &mo, &dd);
		put_str(PICK(icp_prov));
		put_str("ICP备");
		put_uint((uint64_t)yr);
		put_uint_w(rng_below(100000), 6);
		put_str("号-");
		put_uint(1 + rng_below(6));
		put_ch(form == 0 ? 'A' : 'X');
	}
	put_ch(',');

	bool_style = (int)rng_below(100);
	bool_style = bool_style < 60 ? 0 : bool_style < 90 ? 1 : 2;

	/* 首页标示, 纳入规划, 立项审核, 一站式, 政务云 */
	put_bool(flag(0.08, B_NO));
	put_ch(',');
	put_bool(flag(0.08, B_NO));
	put_ch(',');
	put_bool(flag(0.10, B_NO));
	put_ch(',');
	put_bool(flag(0.12, B_NO));
	put_ch(',');
	put_bool(flag(0.09, B_NO));
	put_ch(',');

	/* article 6: forced features, approval, exposure */
	{
		int internal = 1, ck, pr, du, any;
		int theme = dp->theme;
		/* internal apps of some departments carry them far more often */
		if (theme == T_PARTY || theme == T_PROP || theme == T_LAND || theme == T_WATER || theme == T_POLICE)
			internal = 3;
		ck = flag(0.05 * internal, B_YES);
		pr = flag(0.04 * internal, B_YES);
		du = flag(0.03 * internal, B_YES);
		any = ck == B_YES || pr == B_YES || du == B_YES;
		put_bool(ck);
		put_ch(',');
		put_bool(pr);
		put_ch(',');
		put_bool(du);
		put_ch(',');
		/* approval is not applicable (empty) without forced features */
		put_bool(any ? flag(0.40, B_NO) : B_UNKNOWN);
		put_ch(',');
		put_bool(any ? flag(0.15, B_YES) : B_NO);
		put_ch(',');
		/* 上线前验收 .. 点赞转发 */
		put_bool(flag(0.07, B_NO));
		put_ch(',');
		put_bool(flag(0.06, B_YES));
		put_ch(',');
		put_bool(flag(0.07, B_YES));
		put_ch(',');
		put_bool(flag(0.06, B_YES));
		put_ch(',');
		put_bool(flag(0.10, B_YES));
		put_ch(',');
		put_bool(flag(0.05, B_YES));
		put_ch(',');
		/* 积分排名用于通报考评 */
		put_bool(pr == B_YES || du == B_YES ? flag(0.30, B_YES) : B_NO);
		put_ch(',');
	}

	/* 同一数据多头填报 */
	put_bool(flag(0.08, B_YES));
	put_ch(',');

	/* article 12: plan and last drill */
	{
		int plan = flag(0.09, B_NO);
		put_bool(plan);
		put_ch(',');
		if (plan != B_NO && !chance(P_UNKNOWN)) {
			long drill = asof_day - (long)rng_below(300);
			if (chance(0.12) || running != 1)
				drill = asof_day - 366 - (long)rng_below(900);
			if (drill < launched)
				drill = launched;
			put_date(drill);
		}
		put_ch(',');
	}

	/* 13, 14 */
	put_bool(flag(0.05, B_NO));
	put_ch(',');
	put_bool(flag(0.06, B_NO));
	put_ch(',');
	put_bool(flag(0.10, B_NO));
	put_ch(',');
	put_bool(flag(0.15, B_NO));
	put_ch(',');

	/* 备注 */
	if (chance(0.15))
		put_field(PICK(notes));
	put_ch('\n');
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long long rows, seed = 1, i;
	struct prev prev = { 0, 0, 0, 0, 0 };

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: gen-apps ROWS [SEED]\n");
		return 2;
	}
	errno = 0;
	rows = strtoull(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || rows > 9999999ULL) {
		fprintf(stderr, "gen-apps: '%s': not a row count from 0 to 9999999\n", argv[1]);
		return 2;
	}
	if (argc == 3) {
		errno = 0;
		seed = strtoull(argv[2], &end, 10);
		if (errno || *end || end == argv[2]) {
			fprintf(stderr, "gen-apps: '%s': not a whole number\n", argv[2]);
			return 2;
		}
	}
	rng_state = seed * 0x2545f4914f6cdd1dULL + 0x6a09e667f3bcc909ULL;
	asof_day = days_from_civil(2026, 6, 30);

	put_str(header);
	for (i = 1; i <= rows; i++)
		write_row(i, &prev);
	flush_out();
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "gen-apps: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
