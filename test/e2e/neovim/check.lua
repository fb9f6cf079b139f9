-- Drives the bundled Go Rubric language server from Neovim's built-in LSP client (0.7 or later),
-- headless: diagnostics, hover, code actions, applying a quick fix, the re-published diagnostics
-- and saving. It records what it saw as JSON in $GO_RUBRIC_NVIM_RESULT and leaves the judging to
-- test/e2e/neovim.e2e.test.mjs; it only waits (bounded) for what each step needs.
--
-- Run: nvim --headless -u NONE -i NONE -n -c 'luafile test/e2e/neovim/check.lua'
-- Environment:
--   GO_RUBRIC_SERVER       absolute path of server/out/server.js
--   GO_RUBRIC_NODE         the node executable that runs it (default: node)
--   GO_RUBRIC_WORKSPACE    a copy of examples/ (root_dir); the script opens and saves inventory/store.go
--   GO_RUBRIC_NVIM_RESULT  where to write the JSON result
--   GO_RUBRIC_STEP_TIMEOUT_MS  bound on each wait (default 20000)

local env = vim.env
local v = vim.version()
local result = { nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch), steps = {}, publishes = {}, exits = {}, client_errors = {} }
local step_timeout = tonumber(env.GO_RUBRIC_STEP_TIMEOUT_MS) or 20000
local started = vim.loop.hrtime()

local function elapsed_ms()
  return math.floor((vim.loop.hrtime() - started) / 1e6)
end

local function write_result()
  local ok, json = pcall(vim.fn.json_encode, result)
  if not ok then json = vim.fn.json_encode({ failure = { step = 'encode', message = tostring(json) } }) end
  local f = assert(io.open(env.GO_RUBRIC_NVIM_RESULT, 'w'))
  f:write(json)
  f:close()
end

-- Stops the run at a step: the message says what was expected and what was there instead.
local Abort = {}
local function fail(step, message)
  result.failure = { step = step, message = message, at_ms = elapsed_ms() }
  error(Abort)
end

local function record(step, data)
  data.at_ms = elapsed_ms()
  result.steps[step] = data
  return data
end

local severity_names = { [1] = 'ERROR', [2] = 'WARN', [3] = 'INFO', [4] = 'HINT' }

local function snapshot(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, {
      code = d.code,
      severity = severity_names[d.severity] or tostring(d.severity),
      line = d.lnum + 1, -- 1-based, as the README and the CLI count lines
      col = d.col,
      end_line = d.end_lnum + 1,
      end_col = d.end_col,
      message = d.message,
      source = d.source,
    })
  end
  table.sort(out, function(a, b)
    if a.line ~= b.line then return a.line < b.line end
    return tostring(a.code) < tostring(b.code)
  end)
  return out
end

local function codes_of(diags)
  local set = {}
  for _, d in ipairs(diags) do set[tostring(d.code)] = true end
  return set
end

local function codes_text(diags)
  local list = {}
  for _, d in ipairs(diags) do table.insert(list, string.format('%s@%d', tostring(d.code), d.line)) end
  return #list > 0 and table.concat(list, ', ') or '(none)'
end

local client_id
local server_exited = false

-- How the server or the client gave up, for the failure messages.
local function exit_text()
  local parts = {}
  local e = result.exits[#result.exits]
  if e then table.insert(parts, string.format('the server exited with code %s, signal %s', tostring(e.code), tostring(e.signal))) end
  local ce = result.client_errors[1]
  if ce then table.insert(parts, string.format('client error %s: %s', ce.code, ce.err)) end
  return #parts > 0 and ' (' .. table.concat(parts, '; ') .. ')' or ''
end

-- The last published LSP diagnostic for a code, exactly as the server sent it.
local function published(code)
  local last = result.publishes[#result.publishes]
  for _, d in ipairs(last and last.raw or {}) do
    if d.code == code then return d end
  end
end

local function run()
  local server, workspace = env.GO_RUBRIC_SERVER, env.GO_RUBRIC_WORKSPACE
  if not server or not workspace or not env.GO_RUBRIC_NVIM_RESULT then
    fail('setup', 'GO_RUBRIC_SERVER, GO_RUBRIC_WORKSPACE and GO_RUBRIC_NVIM_RESULT must be set')
  end
  local file = workspace .. '/inventory/store.go'
  vim.lsp.set_log_level('info') -- lsp.log then holds the server's stderr and its log messages
  result.lsp_log = vim.lsp.get_log_path()

  -- 1. Start the client as the README's Neovim snippet does.
  local init_done = false
  client_id = vim.lsp.start_client({
    name = 'go-rubric',
    cmd = { env.GO_RUBRIC_NODE or 'node', server, '--stdio' },
    root_dir = workspace,
    settings = { goRubric = { enable = true } },
    -- Neovim 0.7 does not announce workspace/configuration, so push the settings once.
    on_init = function(client)
      init_done = true
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
    on_error = function(code, err)
      table.insert(result.client_errors, {
        code = vim.lsp.client_errors[code] or tostring(code),
        err = type(err) == 'string' and err or vim.inspect(err),
        at_ms = elapsed_ms(),
      })
    end,
    on_exit = function(code, signal)
      server_exited = true
      table.insert(result.exits, { code = code, signal = signal, at_ms = elapsed_ms() })
    end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
        if params and vim.uri_to_fname(params.uri) == file then
          table.insert(result.publishes, { version = params.version, raw = params.diagnostics, at_ms = elapsed_ms() })
        end
        return vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, config)
      end,
    },
  })
  if not client_id then fail('start', 'vim.lsp.start_client returned nil for ' .. server) end

  -- 2. Open the file and attach: with -u NONE there is no filetype detection, so set it.
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'go'
  vim.lsp.buf_attach_client(bufnr, client_id)
  -- Neovim 0.7 raises an initialize error inside a scheduled callback, past on_error: it shows
  -- only as v:errmsg.
  vim.v.errmsg = ''
  local function init_error()
    local msg = vim.v.errmsg
    if not msg:find('initialize', 1, true) then return nil end
    local first = msg:match('[^\n]*')
    return first:match('message = "(.*)"$') or first -- the server's own words, when Neovim quotes them
  end
  vim.wait(step_timeout, function()
    return init_done or server_exited or #result.client_errors > 0 or init_error() ~= nil
  end, 20)
  record('start', { initialized = init_done, waited_ms = elapsed_ms(), errmsg = vim.v.errmsg })
  if not init_done then
    local why = init_error() and ('initialize failed: ' .. init_error())
      or #result.client_errors > 0 and 'initialize failed'
      or server_exited and 'the server exited before answering initialize'
      or string.format('no answer to initialize within %d ms', step_timeout)
    fail('start', why .. exit_text())
  end

  -- 3. Diagnostics for GR101, GR102 and GR201.
  local want = { 'GR101', 'GR102', 'GR201' }
  local function has_all()
    local set = codes_of(vim.diagnostic.get(bufnr))
    for _, c in ipairs(want) do if not set[c] then return false end end
    return true
  end
  vim.wait(step_timeout, function() return has_all() or server_exited end, 20)
  local diags = record('diagnostics', { diagnostics = snapshot(bufnr), publishes = #result.publishes }).diagnostics
  if not has_all() then
    fail('diagnostics', string.format('expected GR101, GR102 and GR201 within %d ms; got %s after %d publish(es)%s',
      step_timeout, codes_text(diags), #result.publishes, exit_text()))
  end
  local gr101, gr201 = published('GR101'), published('GR201')
  if not gr101 or not gr201 then fail('diagnostics', 'GR101 or GR201 missing from the last publishDiagnostics') end

  -- 4. Hover at the start of the GR201 diagnostic.
  local hover_params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = gr201.range.start,
  }
  local responses, herr = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', hover_params, step_timeout)
  local hover = responses and responses[client_id]
  local contents = hover and hover.result and hover.result.contents
  local text = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or tostring(contents)
  record('hover', {
    position = hover_params.position,
    kind = type(contents) == 'table' and contents.kind or vim.NIL,
    text = text,
    error = hover and hover.err and vim.inspect(hover.err) or herr or vim.NIL,
  })
  if not (hover and hover.result) then
    fail('hover', 'no hover result at the GR201 diagnostic: ' .. tostring(herr or (hover and vim.inspect(hover.err)) or 'empty') .. exit_text())
  end

  -- 5. Code actions at the GR101 diagnostic, with it as context (as :lua vim.lsp.buf.code_action() sends).
  local action_params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = gr101.range,
    context = { diagnostics = { gr101 } },
  }
  local aresp, aerr = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', action_params, step_timeout)
  local actions = (aresp and aresp[client_id] and aresp[client_id].result) or {}
  local titles, wrap = {}, nil
  for _, a in ipairs(actions) do
    table.insert(titles, a.title)
    if a.title == 'Wrap with %w' then wrap = a end
  end
  record('codeActions', {
    range = action_params.range,
    titles = titles,
    kinds = vim.tbl_map(function(a) return a.kind or vim.NIL end, actions),
    error = aerr or (aresp and aresp[client_id] and aresp[client_id].err and vim.inspect(aresp[client_id].err)) or vim.NIL,
  })
  if not wrap then
    fail('codeActions', 'no "Wrap with %w" action at GR101; got: ' .. (#titles > 0 and table.concat(titles, ' | ') or '(none)') .. exit_text())
  end
  if not wrap.edit then fail('codeActions', '"Wrap with %w" carries no edit: ' .. vim.inspect(wrap)) end

  -- 6. Apply the fix's WorkspaceEdit as Neovim does, then wait for the server to re-publish.
  local line_no = gr101.range.start.line
  local before = vim.api.nvim_buf_get_lines(bufnr, line_no, line_no + 1, false)[1]
  local publishes_before = #result.publishes
  local ok, apply_err = pcall(vim.lsp.util.apply_workspace_edit, wrap.edit, 'utf-16')
  local after = vim.api.nvim_buf_get_lines(bufnr, line_no, line_no + 1, false)[1]
  record('apply', {
    line = line_no + 1,
    before = before,
    after = after,
    edit = wrap.edit,
    error = ok and vim.NIL or tostring(apply_err),
    changedtick = vim.api.nvim_buf_get_changedtick(bufnr),
  })
  if not ok then fail('apply', 'apply_workspace_edit failed: ' .. tostring(apply_err)) end

  local function republished_without_gr101()
    return #result.publishes > publishes_before and not codes_of(vim.diagnostic.get(bufnr)).GR101
  end
  vim.wait(step_timeout, function() return republished_without_gr101() or server_exited end, 20)
  local redone = record('republish', {
    diagnostics = snapshot(bufnr),
    publishes = #result.publishes - publishes_before,
    version = (result.publishes[#result.publishes] or {}).version or vim.NIL,
  })
  if not republished_without_gr101() then
    fail('republish', string.format('expected a new publishDiagnostics without GR101 within %d ms; got %d new publish(es), diagnostics %s%s',
      step_timeout, redone.publishes, codes_text(redone.diagnostics), exit_text()))
  end

  -- 7. Save the buffer; the test reads the file back from disk.
  local wok, werr = pcall(vim.cmd, 'silent write')
  record('write', { file = file, modified = vim.bo[bufnr].modified, error = wok and vim.NIL or tostring(werr) })
  if not wok then fail('write', 'writing the buffer failed: ' .. tostring(werr)) end
end

local ok, err = xpcall(run, function(e)
  if e == Abort then return e end
  return debug.traceback(tostring(e), 2)
end)
if not ok and err ~= Abort then
  result.failure = { step = 'script', message = tostring(err), at_ms = elapsed_ms() }
end

-- Stop the server and wait for it to exit, so nothing outlives Neovim.
if client_id then
  vim.lsp.stop_client(client_id)
  local stopped = vim.wait(5000, function() return server_exited end, 20)
  if not stopped then
    vim.lsp.stop_client(client_id, true)
    stopped = vim.wait(2000, function() return server_exited end, 20)
  end
  result.server_stopped = stopped
end
result.total_ms = elapsed_ms()
write_result()
if result.failure then vim.cmd('cquit 1') else vim.cmd('qa!') end
