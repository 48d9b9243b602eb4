// Opinion posts: wrk Lua scripts that build a different valid opinion for
// every request (so that no two look like a double submission) and count the
// answers by status in response().
import { luaString } from './wrk';

export function opinionLua(slug: string, items: Array<{ section: number; item: number }>, options: { pace?: { perSecond: number; connections: number } } = {}) {
  const sections = [0, ...new Set(items.map((i) => i.section))];
  const itemsOf = new Map<number, number[]>();
  for (const { section, item } of items) itemsOf.set(section, [...(itemsOf.get(section) ?? []), item]);
  const topics = ['駐車場の料金', '道路の補修', '幼稚園の定員', '医療機関の待ち時間', '公園の照明', 'ゴミの収集日', '夜間の騒音'].map(
    (t) => encodeURIComponent(`${t}について改善をお願いします。負荷試験`),
  );
  const runId = `${process.pid}-${Date.now()}`;
  const lua = `
local sections = { ${sections.join(', ')} }
local items = { ${sections.map((s) => `[${s}] = { ${(itemsOf.get(s) ?? []).join(', ')} }`).join(', ')} }
local topics = { ${topics.map(luaString).join(', ')} }
local name = ${luaString(encodeURIComponent('負荷 太郎'))}
local n = 0
function init(args) codes = {} end
function response(status, headers, body) codes[status] = (codes[status] or 0) + 1 end
function request()
  n = n + 1
  local s = sections[(n % #sections) + 1]
  local its = items[s]
  local item = ""
  if its and #its > 0 and n % 2 == 1 then item = tostring(its[(n % #its) + 1]) end
  local body = "section=" .. s .. "&item=" .. item .. "&body=" .. topics[(n % #topics) + 1] .. "%20${runId}-" .. thread_id .. "-" .. n
    .. "&name=" .. ((n % 3 == 0) and name or "")
    .. "&email=" .. ((n % 4 == 0) and ("load" .. n .. "%40example.cn") or "")
    .. "&phone=&publicOk=on&consent=on"
  return wrk.format("POST", "/reports/${slug}/opinions", nil, body)
end
`;
  if (!options.pace) return lua;
  // wrk (4.1, Debian) has no fixed-rate mode (wrk2's -R): each connection waits
  // delay() ms before its next request. The wait is corrected once a second by
  // how far the second before was from the rate (os.time() is the only clock
  // wrk's Lua has; the wait itself is not exact, wrk's timers are coarse), so
  // that the connections together hold perSecond when the server can answer it.
  const cycle = (options.pace.connections * 1000) / options.pace.perSecond;
  return `${lua}
local target = ${options.pace.perSecond}
local cycle = ${cycle}
local wait = cycle
local first = os.time()
local second = first
local released = 0
function delay()
  local now = os.time()
  if now ~= second then
    if second ~= first and now == second + 1 then
      wait = math.max(0, wait + 0.6 * cycle * (released - target) / target)
    end
    second = now
    released = 0
  end
  released = released + 1
  return math.floor(wait + 0.5)
end
`;
}

export const postHeaders = (url: string) => ({
  'Content-Type': 'application/x-www-form-urlencoded',
  Origin: new URL(url).origin,
  Accept: 'text/html',
});
