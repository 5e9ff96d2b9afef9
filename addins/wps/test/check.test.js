// 校验本表 and 清除标记 against the fake ET object model (test/fake_et.js) and a fake
// /api/check-sheet. Run: node --test addins/wps/test/
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fake = require("./fake_et.js");
const check = require("../js/check.js");
const ledger = require("../js/ledger.js");
const a1 = require("../js/a1.js");

const SETTINGS = { server: "http://127.0.0.1:8765", profile: "xj-prop", token: "", timeoutSeconds: 60 };
// #FF7C80 = R 255, G 124, B 128 -> BGR 128*65536 + 124*256 + 255 = 8388608 + 31744 + 255
const RED_BGR = 8420607;
// #FFC000 = R 255, G 192, B 0 -> BGR 0*65536 + 192*256 + 255 = 49152 + 255
const ORANGE_BGR = 49407;
// #FFFF00 (yellow) -> BGR 0*65536 + 255*256 + 255 = 65535
const YELLOW_BGR = 65535;
const HEAD = "perfxl 校验：";

function note(text) {
  return `${HEAD}\n[错误] PX114 ${text}`;
}

/** A sheet 自评表 whose table starts at B3 (not A1), in an open workbook. */
function setup() {
  const book = new fake.Workbook(["自评表", "说明"]);
  const sheet = book.sheet("自评表");
  sheet.put("B3", [
    ["三级指标", "年度指标值", "实际完成值", "分值"],
    ["培训人次", 100, "坏", 10],
    ["满意度", 0.9, 0.95, 10],
    [null, null, null, "合计"],
  ]);
  return { book, sheet, app: new fake.Application(book) };
}

/**
 * A fake service: finds the posted cells holding `values` and answers with marks at
 * their absolute addresses, computed from the posted top_left — as the real service
 * counts from it (tests/serve/test_serve_api.py).
 */
function service(marksFor, seen = []) {
  return async (request) => {
    const body = JSON.parse(request.body);
    seen.push({ request, body });
    const origin = a1.parse(body.top_left);
    const marks = [];
    body.cells.forEach((row, i) =>
      row.forEach((value, j) => {
        const mark = marksFor(value);
        if (mark) marks.push({ cell: a1.address(origin.row + i, origin.col + j), ...mark });
      })
    );
    const findings = marks.map((m) => ({
      code: "PX114",
      severity: m.severity,
      cell: `${body.sheet}!${m.cell}`,
      message: m.note,
    }));
    const tables = [
      { sheet: body.sheet, project: "培训项目", total: 88.26, grade: "良", execution_rate: 0.8182,
        completion_rate: 0.95, deviation: 13.44 },
    ];
    return { status: 200, text: JSON.stringify({ findings, marks, tables }) };
  };
}

const badIsError = (value) =>
  value === "坏" ? { color: "#FF7C80", note: note("实际完成值无法识别"), severity: "error" } : null;

test("marks land on the right cells of a used range that starts at B3", async () => {
  const { app, sheet } = setup();
  const seen = [];
  const result = await check.checkSheet({ app, http: service(badIsError, seen), settings: SETTINGS });
  assert.equal(result.ok, true, result.message);
  const { body, request } = seen[0];
  assert.equal(request.url, "http://127.0.0.1:8765/api/check-sheet");
  assert.equal(request.method, "POST");
  assert.equal(body.sheet, "自评表");
  assert.equal(body.top_left, "B3");
  assert.equal(body.profile, "xj-prop");
  assert.deepEqual(body.cells[1], ["培训人次", 100, "坏", 10]);
  assert.deepEqual(body.cells[3], [null, null, null, "合计"]); // empty cells go as null
  // "坏" is the 3rd value of the 2nd row: row 3+1 = 4, column B(2)+2 = D(4) -> D4
  const d4 = sheet.Range("D4");
  assert.equal(d4.Interior.Color, RED_BGR);
  assert.equal(d4.Comment.Text(), note("实际完成值无法识别"));
  assert.equal(sheet.Range("C4").Comment, null);
  assert.equal(sheet.Range("C4").Interior.ColorIndex, fake.XL_NONE);
  assert.match(result.message, /总分 88\.26，等级 良/);
  assert.match(result.message, /预算执行率 81\.82%/);
  assert.match(result.message, /错误 1 个，警告 0 个，提示 0 个/);
  assert.match(result.message, /标出 1 个单元格/);
  assert.equal(app.ActiveSheet, sheet); // the record sheet was added, the user's sheet is active again
});

test("a mark's #RRGGBB colour becomes the BGR integer Interior.Color holds", async () => {
  const { app, sheet } = setup();
  const answer = (value) =>
    value === "坏"
      ? { color: "#FF7C80", note: note("a"), severity: "error" }
      : value === 0.95
        ? { color: "#FFC000", note: `${HEAD}\n[警告] PX021 b`, severity: "warning" }
        : value === "满意度"
          ? { color: null, note: `${HEAD}\n[提示] PX301 c`, severity: "info" }
          : null;
  const result = await check.checkSheet({ app, http: service(answer), settings: SETTINGS });
  assert.equal(result.marked, 3);
  assert.equal(sheet.Range("D4").Interior.Color, RED_BGR);
  assert.equal(sheet.Range("D5").Interior.Color, ORANGE_BGR);
  // an info mark gets a comment and no fill
  assert.equal(sheet.Range("B5").Interior.ColorIndex, fake.XL_NONE);
  assert.equal(sheet.Range("B5").Comment.Text(), `${HEAD}\n[提示] PX301 c`);
});

test("清除标记 restores earlier fills and comments and leaves other cells alone", async () => {
  const { app, book, sheet } = setup();
  sheet.Range("D4").Interior.Color = YELLOW_BGR;
  sheet.Range("D4").AddComment("原批注：请核对");
  sheet.Range("F9").Interior.Color = YELLOW_BGR; // not marked: must stay
  sheet.Range("F9").AddComment("别人的批注");
  const before = fake.snapshot(book);
  const marksTwo = (value) =>
    value === "坏" || value === 100 ? { color: "#FF7C80", note: note(String(value)), severity: "error" } : null;
  await check.checkSheet({ app, http: service(marksTwo), settings: SETTINGS });
  assert.equal(sheet.Range("D4").Interior.Color, RED_BGR);
  assert.equal(sheet.Range("D4").Comment.Text(), `${note("坏")}\n——原有批注——\n原批注：请核对`);
  assert.equal(sheet.Range("C4").Interior.Color, RED_BGR);
  assert.equal(book.sheet("perfxl_marks").Visible, 2); // very hidden
  const rows = ledger.read(book);
  assert.deepEqual(rows, [
    ["自评表", "C4", "", "#FF7C80", "", "0"],
    ["自评表", "D4", "#FFFF00", "#FF7C80", "原批注：请核对", "1"],
  ]);

  const cleared = await check.clearMarks({ app });
  assert.equal(cleared.ok, true);
  assert.equal(cleared.restored, 2);
  assert.match(cleared.message, /已清除 2 个单元格/);
  assert.deepEqual(fake.snapshot(book), before); // fills, comments, sheets: all as before
  assert.equal(book.sheet("perfxl_marks"), null);
});

test("清除标记 keeps what the user changed after the marking", async () => {
  const { app, sheet } = setup();
  await check.checkSheet({ app, http: service(badIsError), settings: SETTINGS });
  sheet.Range("D4").Interior.Color = YELLOW_BGR; // the clerk recoloured the cell
  sheet.Range("D4").Comment.Delete();
  sheet.Range("D4").AddComment("我的说明");
  await check.clearMarks({ app });
  assert.equal(sheet.Range("D4").Interior.Color, YELLOW_BGR);
  assert.equal(sheet.Range("D4").Comment.Text(), "我的说明");
});

test("a second 校验本表 undoes the first one's marks before marking", async () => {
  const { app, book, sheet } = setup();
  sheet.Range("C4").Interior.Color = YELLOW_BGR;
  const first = (value) =>
    value === "坏" || value === 100 ? { color: "#FF7C80", note: note(String(value)), severity: "error" } : null;
  await check.checkSheet({ app, http: service(first), settings: SETTINGS });
  assert.equal(sheet.Range("C4").Interior.Color, RED_BGR);
  const second = (value) =>
    value === "坏" ? { color: "#FFC000", note: `${HEAD}\n[警告] PX021 x`, severity: "warning" } : null;
  const result = await check.checkSheet({ app, http: service(second), settings: SETTINGS });
  assert.equal(result.marked, 1);
  assert.equal(sheet.Range("C4").Interior.Color, YELLOW_BGR); // first mark undone
  assert.equal(sheet.Range("C4").Comment, null);
  assert.equal(sheet.Range("D4").Interior.Color, ORANGE_BGR);
  assert.equal(sheet.Range("D4").Comment.Text(), `${HEAD}\n[警告] PX021 x`); // no stale note kept
  // the record holds D4's state before any mark, not the first run's red
  assert.deepEqual(ledger.read(book), [["自评表", "D4", "", "#FFC000", "", "0"]]);
  await check.clearMarks({ app });
  assert.equal(sheet.Range("D4").Interior.ColorIndex, fake.XL_NONE);
  assert.equal(sheet.Range("D4").Comment, null);
});

test("marks on another sheet stay when this sheet is checked again", async () => {
  const { app, book, sheet } = setup();
  const other = book.sheet("说明");
  other.put("A1", [["三级指标"], ["坏"]]);
  other.Activate();
  await check.checkSheet({ app, http: service(badIsError), settings: SETTINGS });
  sheet.Activate();
  await check.checkSheet({ app, http: service(badIsError), settings: SETTINGS });
  await check.checkSheet({ app, http: service(() => null), settings: SETTINGS });
  assert.equal(other.Range("A2").Interior.Color, RED_BGR);
  assert.equal(sheet.Range("D4").Interior.ColorIndex, fake.XL_NONE);
  assert.deepEqual(ledger.read(book).map((r) => r[0] + "!" + r[1]), ["说明!A2"]);
});

test("a sheet protected with a password: a message, the summary, and no change", async () => {
  const { app, book, sheet } = setup();
  sheet.Protect("secret");
  const before = fake.snapshot(book);
  const result = await check.checkSheet({ app, http: service(badIsError), settings: SETTINGS });
  assert.equal(result.marked, 0);
  assert.match(result.message, /受密码保护/);
  assert.match(result.message, /总分 88\.26/);
  assert.deepEqual(fake.snapshot(book), before);
});

test("a sheet protected without a password is marked and protected again as it was", async () => {
  const { app, sheet } = setup();
  // Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly, AllowFormattingCells, …
  sheet.Protect(undefined, true, true, false, false, false, false, false, false, false, false, false, false, false, true);
  const options = { ...sheet.protectedWith };
  assert.equal(options.AllowFiltering, true);
  sheet.EnableSelection = 1;
  const result = await check.checkSheet({ app, http: service(badIsError), settings: SETTINGS });
  assert.equal(result.marked, 1, result.message);
  assert.equal(sheet.Range("D4").Interior.Color, RED_BGR);
  assert.deepEqual(sheet.protectedWith, options);
  assert.equal(sheet.password, null);
  assert.equal(sheet.EnableSelection, 1);
  const cleared = await check.clearMarks({ app });
  assert.equal(cleared.restored, 1);
  assert.equal(sheet.Range("D4").Interior.ColorIndex, fake.XL_NONE);
  assert.deepEqual(sheet.protectedWith, options);
});

test("清除标记 leaves marks on a sheet since protected with a password, and says so", async () => {
  const { app, book, sheet } = setup();
  await check.checkSheet({ app, http: service(badIsError), settings: SETTINGS });
  sheet.Protect("secret");
  const result = await check.clearMarks({ app });
  assert.match(result.message, /“自评表”受密码保护/);
  assert.equal(sheet.Range("D4").Interior.Color, RED_BGR);
  assert.equal(ledger.read(book).length, 1); // still recorded for a later clearing
});

test("a workbook with a protected structure: a message and no change", async () => {
  const { app, book } = setup();
  book.ProtectStructure = true;
  const before = fake.snapshot(book);
  const result = await check.checkSheet({ app, http: service(badIsError), settings: SETTINGS });
  assert.match(result.message, /工作簿结构受保护/);
  assert.deepEqual(fake.snapshot(book), before);
});

test("server not running: a Chinese message, no change", async () => {
  const { app, book } = setup();
  const before = fake.snapshot(book);
  const down = () => Promise.reject({ kind: "network" });
  const result = await check.checkSheet({ app, http: down, settings: SETTINGS });
  assert.equal(result.ok, false);
  assert.match(result.message, /无法连接 perfxl 服务（http:\/\/127\.0\.0\.1:8765）/);
  assert.match(result.message, /perfxl serve/);
  assert.deepEqual(fake.snapshot(book), before);
});

test("a transport that throws at once is the same as a service that is down", async () => {
  const { app } = setup();
  const broken = () => {
    throw new TypeError("Failed to fetch");
  };
  const result = await check.checkSheet({ app, http: broken, settings: SETTINGS });
  assert.match(result.message, /无法连接 perfxl 服务/);
});

test("timeout, token, refusal and garbage each get their own Chinese message", async () => {
  const cases = [
    [() => Promise.reject({ kind: "timeout" }), /60 秒内没有回应/],
    [async () => ({ status: 401, text: '{"error": "需要访问令牌"}' }), /访问令牌/],
    [async () => ({ status: 400, text: '{"error": "sheet 应为工作表名称"}' }), /未能校验本表：sheet 应为工作表名称/],
    [async () => ({ status: 413, text: '{"error": "超过 20 MB"}' }), /大小上限/],
    [async () => ({ status: 404, text: "Not Found" }), /没有 perfxl 的校验接口/],
    [async () => ({ status: 502, text: "<html>" }), /HTTP 502/],
    [async () => ({ status: 200, text: "<html>" }), /无法识别/],
    [async () => ({ status: 200, text: '{"findings": []}' }), /缺少 findings\/marks\/tables/],
  ];
  for (const [http, expected] of cases) {
    const { app, book } = setup();
    const before = fake.snapshot(book);
    const result = await check.checkSheet({ app, http, settings: SETTINGS });
    assert.equal(result.ok, false);
    assert.match(result.message, expected);
    assert.deepEqual(fake.snapshot(book), before);
  }
});

test("the token goes as a bearer header", async () => {
  const { app } = setup();
  const seen = [];
  await check.checkSheet({ app, http: service(() => null, seen), settings: { ...SETTINGS, token: "t0k" } });
  assert.equal(seen[0].request.headers.Authorization, "Bearer t0k");
});

test("an empty sheet: a message and no request", async () => {
  const book = new fake.Workbook(["空表"]);
  const app = new fake.Application(book);
  let called = false;
  const result = await check.checkSheet({ app, http: () => (called = true), settings: SETTINGS });
  assert.equal(called, false);
  assert.match(result.message, /工作表“空表”是空的/);
});

test("no workbook open: a message", async () => {
  const result = await check.checkSheet({ app: new fake.Application(null), http: service(() => null), settings: SETTINGS });
  assert.match(result.message, /请先打开要校验的工作簿/);
  const cleared = await check.clearMarks({ app: new fake.Application(null) });
  assert.match(cleared.message, /请先打开/);
});

test("a one-cell used range (Value2 a scalar) goes as a 1x1 array", async () => {
  const book = new fake.Workbook(["表"]);
  book.sheet("表").put("C7", [["三级指标"]]);
  const seen = [];
  await check.checkSheet({ app: new fake.Application(book), http: service(() => null, seen), settings: SETTINGS });
  assert.deepEqual(seen[0].body.cells, [["三级指标"]]);
  assert.equal(seen[0].body.top_left, "C7");
});

test("a mark inside a merged area goes on its top-left cell", async () => {
  const { app, sheet } = setup();
  sheet.merges.push([4, 4, 4, 5]); // D4:E4
  const http = async () => ({
    status: 200,
    text: JSON.stringify({
      findings: [{ code: "PX114", severity: "error", cell: "自评表!E4", message: "x" }],
      marks: [{ cell: "E4", color: "#FF7C80", note: note("x"), severity: "error" }],
      tables: [],
    }),
  });
  const result = await check.checkSheet({ app, http, settings: SETTINGS });
  assert.equal(result.marked, 1);
  assert.equal(sheet.Range("D4").Interior.Color, RED_BGR);
  assert.equal(sheet.Range("E4").Comment, null);
  assert.match(result.message, /本表未算出总分/);
});

test("an error inside the object model becomes a message, never an exception", async () => {
  const { app, sheet } = setup();
  Object.defineProperty(sheet, "UsedRange", {
    get() {
      throw new fake.ComError("RPC server unavailable");
    },
  });
  const result = await check.checkSheet({ app, http: service(() => null), settings: SETTINGS });
  assert.equal(result.ok, false);
  assert.match(result.message, /perfxl 加载项在操作表格时出错/);
});

test("nothing to mark and nothing marked before: no record sheet is added", async () => {
  const { app, book } = setup();
  const result = await check.checkSheet({ app, http: service(() => null), settings: SETTINGS });
  assert.match(result.message, /未发现问题/);
  assert.equal(book.sheet("perfxl_marks"), null);
  const cleared = await check.clearMarks({ app });
  assert.match(cleared.message, /没有 perfxl 做的标记/);
});

test("recorded texts survive the record sheet: a comment starting with = stays text", async () => {
  const { app, book, sheet } = setup();
  sheet.Range("D4").AddComment("=SUM(A1:A3) 是公式吗");
  await check.checkSheet({ app, http: service(badIsError), settings: SETTINGS });
  assert.equal(book.sheet("perfxl_marks").Range("E2").Value2, "=SUM(A1:A3) 是公式吗");
  await check.clearMarks({ app });
  assert.equal(sheet.Range("D4").Comment.Text(), "=SUM(A1:A3) 是公式吗");
});

test("a 监控表 answer: the summary shows 监控月份, 执行率 against 序时进度 and the lights", async () => {
  const book = new fake.Workbook(["监控表"]);
  const sheet = book.sheet("监控表");
  sheet.put("A1", [
    ["项目资金（万元）", "年初预算数", "全年预算数", "1-6月执行数", "执行率", "全年预计执行数", "原因说明"],
    ["年度资金总额", 220, null, 87.57, null, 220, null],
  ]);
  // what /api/check-sheet answers for it (tests/serve/test_serve_monitor.py): 87.57 / 220
  // = 0.39804 -> 39.80%, 序时进度 6/12 = 50.00%, v = 0.3980 / 0.5 = 0.796 < 0.8 -> 黄;
  // PX115 on the funds row's empty 原因说明 (G2), a warning, so orange
  const http = async (request) => {
    const body = JSON.parse(request.body);
    assert.equal(body.sheet, "监控表");
    return {
      status: 200,
      text: JSON.stringify({
        findings: [
          { code: "PX115", severity: "warning", cell: "监控表!G2", message: "“预算执行”为黄灯，需填写原因说明及改进措施" },
        ],
        marks: [
          { cell: "G2", color: "#FFC000", note: `${HEAD}\n[警告] PX115 “预算执行”为黄灯，需填写原因说明及改进措施`, severity: "warning" },
        ],
        tables: [
          { sheet: "监控表", kind: "monitoring", project: "示范项目", month: 6, time_progress: 0.5,
            execution_rate: 0.398, execution_light: "黄", light: "黄" },
        ],
      }),
    };
  };
  const result = await check.checkSheet({ app: new fake.Application(book), http, settings: SETTINGS });
  assert.equal(result.ok, true, result.message);
  assert.equal(sheet.Range("G2").Interior.Color, ORANGE_BGR);
  assert.match(sheet.Range("G2").Comment.Text(), /PX115/);
  assert.match(result.message, /项目“示范项目”：监控月份 6 月，执行率 39\.80%（序时进度 50\.00%），预算执行黄灯，项目预警黄灯/);
  assert.doesNotMatch(result.message, /总分/);
  assert.match(result.message, /错误 0 个，警告 1 个，提示 0 个/);
});

test("a 监控表 with no month and no lights says 未填 and —, and a 自评表 beside it keeps 总分", () => {
  const text = check.summary({
    findings: [],
    marks: [],
    tables: [
      { kind: "self", project: "甲", total: 95.73, grade: "优", execution_rate: 0.9526 },
      { kind: "monitoring", project: "乙", month: null, time_progress: null, execution_rate: null,
        execution_light: null, light: null },
    ],
  });
  assert.match(text, /项目“甲”：总分 95\.73，等级 优，预算执行率 95\.26%/);
  assert.match(text, /项目“乙”：监控月份 未填，执行率 —（序时进度 —），预算执行—，项目预警—/);
});
