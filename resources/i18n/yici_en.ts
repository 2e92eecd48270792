<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AbsencesWidget</name>
    <message>
        <location filename="../../desktop/editor/roster_widgets.py" line="181"/>
        <source>无（全部到会）</source>
        <translation>None (everyone attended)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/roster_widgets.py" line="205"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>AttachmentsWidget</name>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="40"/>
        <source>可把文件直接拖到这里</source>
        <translation>You can drag files here</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="57"/>
        <source>添加文件…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="92"/>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="109"/>
        <source>“{name}”是一个文件夹，没有添加</source>
        <translation>&quot;{name}&quot; is a folder; not added</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="111"/>
        <source>找不到“{name}”，未添加</source>
        <translation>Cannot find &quot;{name}&quot;; not added</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="114"/>
        <source>记录尚未保存，无法添加附件，请先按 Ctrl+S 保存草稿</source>
        <translation>The record is not saved yet; press Ctrl+S to save the draft before adding attachments</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="129"/>
        <source>正在添加…</source>
        <translation>Adding…</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="129"/>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="145"/>
        <source>“{name}”已经在这条记录里，没有重复添加</source>
        <translation>&quot;{name}&quot; is already in this record; not added again</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="157"/>
        <source>“{name}”添加失败：{error}</source>
        <translation>Could not add &quot;{name}&quot;: {error}</translation>
    </message>
</context>
<context>
    <name>BookDialog</name>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="37"/>
        <source>全年</source>
        <translation>Whole year</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="38"/>
        <source>上半年</source>
        <translation>First half</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="39"/>
        <source>下半年</source>
        <translation>Second half</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="40"/>
        <source>第一季度</source>
        <translation>Q1</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="41"/>
        <source>第二季度</source>
        <translation>Q2</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="42"/>
        <source>第三季度</source>
        <translation>Q3</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="43"/>
        <source>第四季度</source>
        <translation>Q4</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="54"/>
        <location filename="../../desktop/paper/book_dialog.py" line="170"/>
        <source>生成台账</source>
        <translation>Branch book</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="58"/>
        <source>支部</source>
        <translation>Branches</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="68"/>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="79"/>
        <source>支部：</source>
        <translation>Branches:</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="80"/>
        <source>期间：</source>
        <translation>Period:</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="85"/>
        <source>打印预览…</source>
        <translation>Print preview…</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="86"/>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="87"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="119"/>
        <source>请勾选要生成台账的支部。</source>
        <translation>Tick the branches to make a book for.</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="122"/>
        <source>已选 {n} 个支部：导出时每个支部一个 PDF 文件，放在同一个文件夹里。</source>
        <translation>{n} branches chosen: exporting writes one PDF per branch into one folder.</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="126"/>
        <source>台账包括封面、目录、期间内全部定稿记录、作废记录及原因、开会情况和出勤情况。</source>
        <translation>The book holds a cover, contents, every final record of the period, voided records with their reasons, meetings held and attendance.</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="153"/>
        <source>选择放台账的文件夹</source>
        <translation>Choose the folder for the books</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="164"/>
        <source>正在生成台账……</source>
        <translation>Making the books…</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="169"/>
        <source>{path}（{pages} 页）</source>
        <translation>{path} ({pages} pages)</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/book_dialog.py" line="170"/>
        <source>已导出：</source>
        <translation>Exported:</translation>
    </message>
</context>
<context>
    <name>BranchList</name>
    <message>
        <location filename="../../desktop/branch_list.py" line="38"/>
        <source>有逾期</source>
        <translation>overdue</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_list.py" line="39"/>
        <source>有待办</source>
        <translation>items due</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_list.py" line="40"/>
        <source>已完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_list.py" line="42"/>
        <source>计算中…</source>
        <translation>working…</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_list.py" line="59"/>
        <source>支部列表</source>
        <translation>Branch list</translation>
    </message>
</context>
<context>
    <name>BranchPosition</name>
    <message>
        <location filename="../../desktop/branch_position.py" line="21"/>
        <source>如 30.512345</source>
        <translation>e.g. 30.512345</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="22"/>
        <location filename="../../desktop/branch_position.py" line="34"/>
        <source>纬度</source>
        <translation>Latitude</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="24"/>
        <source>如 114.301234</source>
        <translation>e.g. 114.301234</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="25"/>
        <location filename="../../desktop/branch_position.py" line="34"/>
        <source>经度</source>
        <translation>Longitude</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="26"/>
        <source>可不填；填了，每张照片旁会显示离村里多远。</source>
        <translation>Optional; when filled in, each photo says how far from the village it was taken.</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="28"/>
        <source>村委会的纬度、经度可以在手机的地图应用里查到，也可以用在村委会拍的照片的位置。</source>
        <translation>A phone&apos;s map app shows the village committee&apos;s latitude and longitude; a photo taken at the committee carries them too.</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="63"/>
        <source>请同时填写纬度和经度，或者都不填。</source>
        <translation>Fill in both latitude and longitude, or neither.</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="67"/>
        <source>纬度和经度请填数字（小数），如 30.512345 和 114.301234。</source>
        <translation>Latitude and longitude are decimal numbers, e.g. 30.512345 and 114.301234.</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="70"/>
        <source>纬度和经度可能填反了：纬度在前（中国约 18 到 54），经度在后（中国约 73 到 135）。</source>
        <translation>Latitude and longitude may be swapped: latitude comes first (about 18 to 54 in China), longitude second (about 73 to 135).</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="73"/>
        <source>纬度应在 -90 到 90 之间，经度应在 -180 到 180 之间。</source>
        <translation>Latitude must be between -90 and 90, longitude between -180 and 180.</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="75"/>
        <source>纬度、经度都是 0 不是村里的位置，请核对。</source>
        <translation>Latitude and longitude 0, 0 is not where the village is; please check.</translation>
    </message>
    <message>
        <location filename="../../desktop/branch_position.py" line="89"/>
        <source>支部位置</source>
        <translation>Branch position</translation>
    </message>
</context>
<context>
    <name>BranchesDialog</name>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="50"/>
        <location filename="../../desktop/branches_dialog.py" line="251"/>
        <source>支部与花名册</source>
        <translation>Branches and rosters</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="56"/>
        <location filename="../../desktop/branches_dialog.py" line="63"/>
        <source>支部</source>
        <translation>Branches</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="58"/>
        <source>新建支部(&amp;A)</source>
        <translation>&amp;Add branch</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="69"/>
        <source>例如：红星村党支部</source>
        <translation>e.g. Hongxing Village Party Branch</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="71"/>
        <source>可不填；平台上的支部编号</source>
        <translation>optional; the branch code on the platform</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="75"/>
        <source>保存支部信息(&amp;S)</source>
        <translation>&amp;Save branch</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="77"/>
        <source>支部信息</source>
        <translation>Branch</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="80"/>
        <source>支部名称(&amp;N)：</source>
        <translation>Branch &amp;name:</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="81"/>
        <source>支部编号：</source>
        <translation>Branch code:</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="82"/>
        <source>支部书记：</source>
        <translation>Secretary:</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="83"/>
        <source>村里位置：</source>
        <translation>Village position:</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="88"/>
        <location filename="../../desktop/branches_dialog.py" line="100"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="88"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="88"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="105"/>
        <source>手机号（可不填）</source>
        <translation>Mobile (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="106"/>
        <source>添加党员(&amp;M)</source>
        <translation>Add &amp;member</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="108"/>
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="110"/>
        <location filename="../../desktop/branches_dialog.py" line="369"/>
        <source>移出名册</source>
        <translation>Remove from roster</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="112"/>
        <source>从表格导入花名册(&amp;I)…</source>
        <translation>&amp;Import roster from a spreadsheet…</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="131"/>
        <location filename="../../desktop/branches_dialog.py" line="312"/>
        <location filename="../../desktop/branches_dialog.py" line="321"/>
        <source>花名册</source>
        <translation>Roster</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="229"/>
        <source>花名册 · %1</source>
        <translation>Roster · %1</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="242"/>
        <source>花名册（先保存支部）</source>
        <translation>Roster (save the branch first)</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="251"/>
        <source>请填写支部名称。</source>
        <translation>Please enter the branch name.</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="312"/>
        <source>请填写党员姓名。</source>
        <translation>Please enter the member&apos;s name.</translation>
    </message>
    <message>
        <location filename="../../desktop/branches_dialog.py" line="370"/>
        <source>把“%1”移出花名册？已有记录里的名字不受影响。</source>
        <translation>Remove &quot;%1&quot; from the roster? Existing records keep the name.</translation>
    </message>
</context>
<context>
    <name>BrowserRunButton</name>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="129"/>
        <source>在浏览器中录入…</source>
        <translation>Enter in the browser…</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="149"/>
        <source>{name}（{n} 条）</source>
        <translation>{name} ({n})</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="157"/>
        <source>让 Yici 在浏览器中把 {n} 条记录填进“{name}”</source>
        <translation>Let Yici fill {n} records into “{name}” in the browser</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="160"/>
        <source>让 Yici 在浏览器中填写网页表单</source>
        <translation>Let Yici fill in the platform&apos;s web form in the browser</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="160"/>
        <source>没有等待录入的记录</source>
        <translation>No records waiting to be entered</translation>
    </message>
</context>
<context>
    <name>BrowserRunDialog</name>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="61"/>
        <source>在浏览器中录入 — {name}</source>
        <translation>Enter in the browser — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="64"/>
        <source>Yici 会打开浏览器，登录“{name}”，把下面的记录逐条填进平台的表单。需要您操作时（输入验证码、核对后点提交），这里会提示。录入时请不要关闭浏览器。</source>
        <translation>Yici will open the browser, log in to “{name}” and fill the records below into the platform&apos;s form one by one. When it needs you (to type a captcha, or to check the form and press submit) it says so here. Please do not close the browser meanwhile.</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="68"/>
        <source>开始录入</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="84"/>
        <source>没有等待录入“{name}”的记录。</source>
        <translation>No records are waiting to be entered into “{name}”.</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="86"/>
        <source>等待录入的记录（{n} 条）：</source>
        <translation>Records waiting to be entered ({n}):</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_run_dialog.py" line="107"/>
        <source>结果：</source>
        <translation>Result:</translation>
    </message>
</context>
<context>
    <name>BrowserWorkDialog</name>
    <message>
        <location filename="../../desktop/browser_person.py" line="121"/>
        <source>继续</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="141"/>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="142"/>
        <source>不再继续：还没提交的记录留待下次录入</source>
        <translation>Go no further: records not submitted yet wait for the next run</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="144"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="197"/>
        <source>正在打开浏览器…</source>
        <translation>Opening the browser…</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="215"/>
        <source>正在停止，请稍候：当前这一步做完后关闭浏览器…</source>
        <translation>Stopping, please wait: the browser closes once the current step is done…</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="223"/>
        <source>（已继续）</source>
        <translation>(continued)</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="277"/>
        <source>请按下面的提示在浏览器中操作</source>
        <translation>Please do what is asked below in the browser</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="278"/>
        <source>等待您：{text}</source>
        <translation>Waiting for you: {text}</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="295"/>
        <source>出了意外的错误（{error}），详细情况已写入日志。请关闭这个窗口再试一次；如果反复出现，请联系技术人员。</source>
        <translation>An unexpected error occurred ({error}); the details are in the log. Close this window and try again; if it keeps happening, contact your IT staff.</translation>
    </message>
    <message>
        <location filename="../../desktop/browser_person.py" line="345"/>
        <source>浏览器中的工作还没有结束。要停止并关闭吗？还没提交的记录会留待下次录入。</source>
        <translation>The work in the browser has not finished. Stop and close? Records not submitted yet will wait for the next run.</translation>
    </message>
</context>
<context>
    <name>CadenceDialog</name>
    <message>
        <location filename="../../desktop/due_view.py" line="303"/>
        <source>每月</source>
        <translation>Every month</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="304"/>
        <source>每季度</source>
        <translation>Every quarter</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="305"/>
        <source>每半年</source>
        <translation>Every half-year</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="306"/>
        <source>每年</source>
        <translation>Every year</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="307"/>
        <source>不要求</source>
        <translation>Not required</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="318"/>
        <source>调整会议频次 · %1</source>
        <translation>Meeting cadence · %1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="322"/>
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="322"/>
        <location filename="../../desktop/due_view.py" line="357"/>
        <source>默认</source>
        <translation>Default</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="322"/>
        <source>本支部</source>
        <translation>This branch</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="333"/>
        <source>各地规定不同：例如党课可改为“每半年”。选“默认”则按表单的规定。</source>
        <translation>Local rules differ: e.g. party lectures can be set to &quot;every half-year&quot;. &quot;Default&quot; follows the form.</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="72"/>
        <location filename="../../desktop/editor/void_dialog.py" line="75"/>
        <source>保存更正</source>
        <translation>Save correction</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="73"/>
        <source>更正会生成新的版本，原来的版本保留在历史中。请说明更正了什么、为什么：</source>
        <translation>A correction makes a new revision; the old one stays in the history. Say what was corrected and why:</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="74"/>
        <source>补充会议内容</source>
        <translation>Added meeting content</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="74"/>
        <source>更正实到人员</source>
        <translation>Corrected the attendees</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="74"/>
        <source>更正会议时间</source>
        <translation>Corrected the meeting time</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="74"/>
        <source>补充照片</source>
        <translation>Added photos</translation>
    </message>
</context>
<context>
    <name>DeliveriesDialog</name>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="371"/>
        <source>需要确认的推送</source>
        <translation>Deliveries to confirm</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="374"/>
        <source>“可能已发送”：程序在发送时中断，请到群里或平台上看一看：已收到就点“标记为已送达”，没收到就点“重新发送”。双击一行可打开记录。</source>
        <translation>&quot;Maybe sent&quot;: Yici was interrupted while sending. Check the group or platform: if it arrived, click &quot;Mark as delivered&quot;; if not, click &quot;Send again&quot;. Double-click a row to open the record.</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="383"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>DeliveryPanel</name>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="95"/>
        <source>平台</source>
        <translation>Platform</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="95"/>
        <source>版本</source>
        <translation>Revision</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="95"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="95"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="95"/>
        <source>平台回复</source>
        <translation>Platform reply</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="97"/>
        <source>记录</source>
        <translation>Records</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="119"/>
        <location filename="../../desktop/delivery_panel.py" line="270"/>
        <source>重新发送</source>
        <translation>Send again</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="120"/>
        <location filename="../../desktop/delivery_panel.py" line="297"/>
        <location filename="../../desktop/delivery_panel.py" line="305"/>
        <location filename="../../desktop/delivery_panel.py" line="314"/>
        <source>标记为已送达</source>
        <translation>Mark as delivered</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="121"/>
        <source>查看内容</source>
        <translation>View content</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="122"/>
        <source>录入…</source>
        <translation>Enter…</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="123"/>
        <source>逐项复制这条记录的内容，到平台上手工录入</source>
        <translation>Copy this record&apos;s values one by one to type them into the platform</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="125"/>
        <source>马上再发一次（失败或不确定是否送达的推送）</source>
        <translation>Send again now (deliveries that failed or may not have arrived)</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="126"/>
        <source>已在平台或群里看到这条消息时，标记为已送达</source>
        <translation>Mark as delivered once you have seen the message on the platform or in the group</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="189"/>
        <source>第 {n} 版</source>
        <translation>Revision {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="207"/>
        <source>没有需要处理的推送。</source>
        <translation>No deliveries need attention.</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="272"/>
        <source>这条推送可能已经发到“{target}”了。重新发送可能会让群里出现两条相同的消息。确定重新发送吗？</source>
        <translation>This may already have reached &quot;{target}&quot;. Sending again may post the same message twice. Send again?</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="286"/>
        <source>请先在“{target}”里确认这条消息确实已经收到，再标记为已送达。确定标记吗？</source>
        <translation>Please check in &quot;{target}&quot; that the message really arrived before marking it delivered. Mark it?</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="288"/>
        <source>请确认这条记录所在的导入文件已经上传到“{target}”。确定标记为已送达吗？</source>
        <translation>Please make sure the import file with this record was uploaded to &quot;{target}&quot;. Mark as delivered?</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="291"/>
        <source>这条推送发送失败了。只有在“{target}”上确实已有这条记录时，才标记为已送达。确定标记吗？</source>
        <translation>This delivery failed. Only mark it delivered if &quot;{target}&quot; really has the record. Mark it?</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="294"/>
        <source>这条推送正在等待重试。只有在“{target}”上确实已有这条记录时，才标记为已送达。确定标记吗？</source>
        <translation>This delivery is waiting to be retried. Mark it delivered only if the record is already on &quot;{target}&quot;. Mark it?</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="307"/>
        <source>这条推送还从未发送到“{target}”。标记为已送达表示您已用别的办法（例如在平台网页上手工录入）把这条记录报给了平台，标记后不会再自动发送它。
请写明原因（会记入操作记录）：</source>
        <translation>This delivery was never sent to &quot;{target}&quot;. Marking it delivered means you reported the record to the platform some other way (for example by typing it into the platform&apos;s web page); it will not be sent automatically afterwards.
Please give the reason (it is kept in the audit trail):</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="314"/>
        <source>没有标记：需要写明原因。</source>
        <translation>Not marked: a reason is needed.</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_panel.py" line="324"/>
        <source>没有成功</source>
        <translation>Did not succeed</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="106"/>
        <source>这条记录没有推送：还没有配置推送平台。</source>
        <translation>This record was not sent anywhere: no platform is set up yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="107"/>
        <source>这条记录没有推送：它不在任何推送平台的范围内（表单或支部不在范围里）。</source>
        <translation>This record was not sent anywhere: it is outside every platform&apos;s scope (its form or branch is not included).</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="118"/>
        <source>“{names}”是在这条记录定稿之后才添加的，所以没有收到这条记录。</source>
        <translation>“{names}” was added after this record was finalized, so it has not received it.</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="124"/>
        <source>“{names}”没有收到这条记录：定稿时它已暂停，或当时不在它的推送范围内。</source>
        <translation>“{names}” has not received this record: it was paused when the record was finalized, or the record was outside its scope then.</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="129"/>
        <source>要补推，请在“设置 → 推送平台”里修改该平台，勾选“同时推送已定稿的记录”。</source>
        <translation>To send it now, edit the platform in “Settings → Platforms” and tick “Also send finalized records”.</translation>
    </message>
</context>
<context>
    <name>DuePanel</name>
    <message>
        <location filename="../../desktop/due_view.py" line="66"/>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="67"/>
        <source>待办</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="68"/>
        <source>已完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="168"/>
        <location filename="../../desktop/due_view.py" line="199"/>
        <source>应办事项</source>
        <translation>What is due</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="171"/>
        <source>调整频次(&amp;C)…</source>
        <translation>Adjust &amp;cadence…</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="172"/>
        <source>按本支部的规定调整各项会议的召开频次</source>
        <translation>Adjust how often each meeting is due, by this branch&apos;s rules</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="180"/>
        <location filename="../../desktop/due_view.py" line="218"/>
        <source>请先在左侧选择一个支部。</source>
        <translation>Choose a branch on the left first.</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="204"/>
        <source>应办事项 · %1</source>
        <translation>What is due · %1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="214"/>
        <source>正在计算……</source>
        <translation>Working it out…</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="216"/>
        <source>本支部没有需要定期召开的会议。</source>
        <translation>This branch has no regular meetings due.</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="227"/>
        <source>%1：%2 至 %3</source>
        <translation>%1: %2 to %3</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="233"/>
        <source>最近一次：%1</source>
        <translation>Last held: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="235"/>
        <source>点击开始填写这条记录</source>
        <translation>Click to start this record</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="286"/>
        <source>%1月</source>
        <translation>%1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="287"/>
        <source>%1年%2月</source>
        <translation>%2 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="291"/>
        <source>第%1季度</source>
        <translation>Q%1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="292"/>
        <source>%1年第%2季度</source>
        <translation>Q%2 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="296"/>
        <source>上半年</source>
        <translation>H1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="296"/>
        <source>下半年</source>
        <translation>H2</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="297"/>
        <source>%1年上半年</source>
        <translation>first half of %1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="297"/>
        <source>%1年下半年</source>
        <translation>second half of %1</translation>
    </message>
    <message>
        <location filename="../../desktop/due_view.py" line="299"/>
        <source>%1年</source>
        <translation>%1</translation>
    </message>
</context>
<context>
    <name>EditorViewMixin</name>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="106"/>
        <source>保存草稿 (Ctrl+S)</source>
        <translation>Save draft (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="107"/>
        <source>定稿 (Ctrl+Enter)</source>
        <translation>Finalize (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="108"/>
        <source>删除草稿</source>
        <translation>Delete draft</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="109"/>
        <source>更正</source>
        <translation>Correct</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="110"/>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="111"/>
        <source>历史</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="113"/>
        <source>保存更正</source>
        <translation>Save correction</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="114"/>
        <source>取消更正</source>
        <translation>Cancel correction</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="115"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="144"/>
        <source>推送情况</source>
        <translation>Deliveries</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="183"/>
        <source>记录保存后可以查看历史</source>
        <translation>History is available once the record is saved</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="186"/>
        <source>定稿 · 第 {n} 版</source>
        <translation>Final · revision {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="194"/>
        <source>此记录已作废，原因：{reason}</source>
        <translation>This record is void. Reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="197"/>
        <source>正在更正：改好后点“保存更正”，将生成新的版本。</source>
        <translation>Correcting: when done, click &quot;Save correction&quot; to make a new revision.</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/editor_view.py" line="199"/>
        <source>定稿记录只能查看；如需修改请点“更正”。</source>
        <translation>A final record is read-only; click &quot;Correct&quot; to change it.</translation>
    </message>
</context>
<context>
    <name>EditorWindowsMixin</name>
    <message>
        <location filename="../../desktop/window_editors.py" line="69"/>
        <source>新建记录</source>
        <translation>New record</translation>
    </message>
    <message>
        <location filename="../../desktop/window_editors.py" line="69"/>
        <source>还没有支部。现在添加支部和党员吗？</source>
        <translation>There are no branches yet. Add branches and members now?</translation>
    </message>
    <message>
        <location filename="../../desktop/window_editors.py" line="106"/>
        <source>记录编辑器</source>
        <translation>Record editor</translation>
    </message>
    <message>
        <location filename="../../desktop/window_editors.py" line="106"/>
        <source>记录编辑器还没有安装，请升级 Yici。</source>
        <translation>The record editor is not installed; please update Yici.</translation>
    </message>
</context>
<context>
    <name>EntriesDialog</name>
    <message>
        <location filename="../../desktop/copy_panel.py" line="308"/>
        <source>待录入</source>
        <translation>To enter by hand</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="373"/>
        <source>这些记录还要在平台上录入。双击一行或点“录入…”逐项复制；网页表单的平台可以点“在浏览器中录入…”，由 Yici 在浏览器中填写。</source>
        <translation>These records still have to be entered on their platforms. Double-click a row or click “Enter…” to copy the values one by one; for a web-form platform click “Enter in the browser…” and Yici fills the form in the browser.</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="377"/>
        <source>这些记录还要在平台上手工录入。双击一行或点“录入…”逐项复制。</source>
        <translation>These records still have to be typed into their platforms. Double-click a row or click “Enter…” to copy the values one by one.</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="312"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="312"/>
        <source>平台</source>
        <translation>Platform</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="312"/>
        <source>等待自</source>
        <translation>Waiting since</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="325"/>
        <source>没有待录入的记录。</source>
        <translation>Nothing waits to be entered.</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="326"/>
        <source>录入…</source>
        <translation>Enter…</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="329"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>EntryDialog</name>
    <message>
        <location filename="../../desktop/copy_panel.py" line="82"/>
        <source>录入到“{target}”</source>
        <translation>Enter into “{target}”</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="94"/>
        <source>按平台上的顺序逐项复制：点“复制”或按 Ctrl+数字；回车复制当前一项并移到下一项。全部录好后点“已录入”。</source>
        <translation>Copy the values in the platform&apos;s order: click “Copy” or press Ctrl+number; Enter copies the current one and moves to the next. When everything is in, click “Entered”.</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="111"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="116"/>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="140"/>
        <source>导出照片（{n} 个文件）…</source>
        <translation>Export photos ({n} files)…</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="142"/>
        <source>有问题…</source>
        <translation>Problem…</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="143"/>
        <source>平台上录不进去：写明原因，记入操作记录</source>
        <translation>It cannot be entered on the platform: say why; kept in the audit</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="144"/>
        <location filename="../../desktop/copy_panel.py" line="244"/>
        <source>已录入</source>
        <translation>Entered</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="146"/>
        <source>已在平台上录入并保存：标记为已送达，记下谁、何时</source>
        <translation>Typed in and saved on the platform: marked delivered, with who and when</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="148"/>
        <source>在浏览器中录入…</source>
        <translation>Enter in the browser…</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="149"/>
        <source>让 Yici 在浏览器中把这条记录填进平台的表单</source>
        <translation>Let Yici fill this record into the platform&apos;s form in the browser</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="154"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="214"/>
        <source>已复制第 {n} 项“{label}”，可以粘贴了。</source>
        <translation>Copied item {n} “{label}”: ready to paste.</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="228"/>
        <source>把照片导出到哪个文件夹</source>
        <translation>Folder to export the photos to</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="234"/>
        <source>导出照片</source>
        <translation>Export photos</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="234"/>
        <source>无法导出照片：{error}</source>
        <translation>Could not export the photos: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="237"/>
        <source>已导出 {n} 个文件到 {folder}</source>
        <translation>Exported {n} files to {folder}</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="245"/>
        <source>确认已把这条记录录入“{target}”并保存了吗？</source>
        <translation>Have you typed this record into “{target}” and saved it?</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="255"/>
        <source>录入遇到问题</source>
        <translation>Problem entering it</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="256"/>
        <source>请写明在“{target}”上遇到了什么问题（会记入操作记录）：</source>
        <translation>What went wrong on “{target}”? (kept in the audit):</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="284"/>
        <source>已在浏览器中处理：{state}</source>
        <translation>Handled in the browser: {state}</translation>
    </message>
    <message>
        <location filename="../../desktop/copy_panel.py" line="292"/>
        <source>没有成功</source>
        <translation>Did not succeed</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../desktop/errors.py" line="86"/>
        <source>出错了</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="94"/>
        <source>复制详细信息(&amp;C)</source>
        <translation>&amp;Copy details</translation>
    </message>
</context>
<context>
    <name>FileMenu</name>
    <message>
        <location filename="../../desktop/file_menu.py" line="51"/>
        <source>备份(&amp;K)</source>
        <translation>Bac&amp;k up</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="51"/>
        <source>立即把数据备份一份到 backups 文件夹</source>
        <translation>Back up the data now into the backups folder</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="54"/>
        <source>从备份恢复(&amp;E)…</source>
        <translation>R&amp;estore from a backup…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="54"/>
        <source>用以前的备份替换现在的数据</source>
        <translation>Replace the current data with an earlier backup</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="57"/>
        <source>导出交接文件(&amp;X)…</source>
        <translation>E&amp;xport a handover file…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="59"/>
        <source>把全部数据导出为一个文件，用于换电脑或工作交接</source>
        <translation>Export all data into one file, for a new laptop or a handover</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="62"/>
        <source>导入交接文件(&amp;I)…</source>
        <translation>&amp;Import a handover file…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="64"/>
        <source>把另一台电脑导出的交接文件合并到本机</source>
        <translation>Merge a handover file exported on another laptop into this one</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="67"/>
        <source>导入部署配置(&amp;P)…</source>
        <translation>Import a deployment &amp;profile…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="67"/>
        <source>导入县里下发的支部、平台和表单设置</source>
        <translation>Import the branches, platforms and forms set up by the county</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="74"/>
        <source>支部 %1 个，名册 %2 人，记录 %3 条（已定稿 %4 条），附件 %5 个，自装表单 %6 个，平台 %7 个。</source>
        <translation>Branches: %1, roster members: %2, records: %3 (final: %4), attachments: %5, installed forms: %6, platforms: %7.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="134"/>
        <source>没有完成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="154"/>
        <source>正在备份数据……</source>
        <translation>Backing up the data…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="161"/>
        <source>备份完成</source>
        <translation>Backup done</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="162"/>
        <source>已备份数据。
文件：%1（%2）
位置：%3

需要时可用“文件 → 从备份恢复”找回这份数据。</source>
        <translation>The data was backed up.
File: %1 (%2)
Folder: %3

When needed, File → Restore from a backup brings this data back.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="186"/>
        <source>导出交接文件</source>
        <translation>Export a handover file</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="186"/>
        <location filename="../../desktop/file_menu.py" line="224"/>
        <source>交接文件 (*.zip)</source>
        <translation>Handover files (*.zip)</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="198"/>
        <source>正在导出全部数据……</source>
        <translation>Exporting all data…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="205"/>
        <source>导出完成</source>
        <translation>Export done</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="207"/>
        <source>已导出全部数据。
文件：%1（%2）
位置：%3

%4

文件已用你设置的口令加密，不含密钥。请把口令另外告诉接收的人（不要和文件放在一起）。在新电脑上用“文件 → 导入交接文件”导入。</source>
        <translation>All data was exported.
File: %1 (%2)
Folder: %3

%4

The file is encrypted with your passphrase and holds no secrets. Tell the receiver the passphrase separately (never with the file). On the new laptop, use File → Import a handover file.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="224"/>
        <location filename="../../desktop/file_menu.py" line="250"/>
        <location filename="../../desktop/file_menu.py" line="281"/>
        <source>导入交接文件</source>
        <translation>Import a handover file</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="231"/>
        <source>正在读取交接文件……</source>
        <translation>Reading the handover file…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="240"/>
        <source>文件：%1
导出时间：%2（一次 %3）
其中有：%4</source>
        <translation>File: %1
Exported: %2 (Yici %3)
It holds: %4</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="247"/>
        <source>导入会把这些数据合并到本机：本机已有的不会重复，原电脑上已送达的记录不会再次发送，新的推送平台要核对并录入密钥后才会推送。导入前会先自动备份本机数据。</source>
        <translation>Importing merges this data into this laptop: nothing here is duplicated, records delivered on the old laptop are not sent again, and new platforms send only after you check them and enter their secrets. This laptop&apos;s data is backed up first.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="250"/>
        <location filename="../../desktop/file_menu.py" line="332"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="262"/>
        <source>正在导入交接文件……</source>
        <translation>Importing the handover file…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="271"/>
        <source>已导入 %1。</source>
        <translation>Imported %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="273"/>
        <location filename="../../desktop/file_menu.py" line="349"/>
        <source>新增：%1</source>
        <translation>Added: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="275"/>
        <location filename="../../desktop/file_menu.py" line="350"/>
        <source>更新：%1</source>
        <translation>Updated: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="276"/>
        <source>导入前的数据已备份在 backups 文件夹中。</source>
        <translation>The data as it was before the import is backed up in the backups folder.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="278"/>
        <source>没有变化：%1 中的数据本机都已经有了。</source>
        <translation>No change: this laptop already has everything in %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="279"/>
        <source>注意：%1</source>
        <translation>Note: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="290"/>
        <source>下面的推送平台还需要核对并录入密钥（文件中不含密钥），录入前记录会保存在本机等待发送：
%1
请在“设置 → 推送平台”里选中平台，点“填写密钥…”。</source>
        <translation>These platforms still need checking and their secrets (files hold no secrets); until then records wait on this laptop:
%1
In Settings → Platforms, select the platform and click &quot;Enter secret…&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="301"/>
        <location filename="../../desktop/file_menu.py" line="333"/>
        <location filename="../../desktop/file_menu.py" line="358"/>
        <source>导入部署配置</source>
        <translation>Import a deployment profile</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="301"/>
        <source>部署配置 (*.yaml *.yml)</source>
        <translation>Deployment profiles (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="308"/>
        <source>正在读取部署配置……</source>
        <translation>Reading the deployment profile…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="315"/>
        <source>支部 %1 个，推送平台 %2 个，表单 %3 个，设置 %4 项。</source>
        <translation>Branches: %1, platforms: %2, forms: %3, settings: %4.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="321"/>
        <source>文件：%1
其中有：%2</source>
        <translation>File: %1
It holds: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="324"/>
        <source>这个配置文件会修改本机已有的平台：
%1

确认要按配置文件修改吗？选“取消”则什么都不导入。</source>
        <translation>This profile changes platforms this laptop already has:
%1

Change them as the profile says? Cancel imports nothing.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="327"/>
        <source>修改并导入</source>
        <translation>Change and import</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="330"/>
        <source>已有的支部、名册和平台只会补充，不会删除；本机自己选的设置（姓名、字号）保持不变。</source>
        <translation>Existing branches, rosters and platforms are only added to, never deleted; settings chosen on this laptop (name, text size) stay as they are.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="340"/>
        <source>正在导入部署配置……</source>
        <translation>Importing the deployment profile…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="348"/>
        <source>已导入部署配置：%1</source>
        <translation>Imported the deployment profile: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/file_menu.py" line="353"/>
        <source>没有变化：%1 中的 %2 项与本机一致。</source>
        <translation>No change: the %2 items in %1 match this laptop.</translation>
    </message>
</context>
<context>
    <name>FilesWidget</name>
    <message>
        <location filename="../../desktop/editor/attachments_widget.py" line="198"/>
        <source>移除所选</source>
        <translation>Remove selected</translation>
    </message>
</context>
<context>
    <name>FinalizeDialog</name>
    <message>
        <location filename="../../desktop/editor/finalize_dialog.py" line="36"/>
        <location filename="../../desktop/editor/finalize_dialog.py" line="58"/>
        <source>确认定稿</source>
        <translation>Confirm finalize</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/finalize_dialog.py" line="38"/>
        <source>定稿后记录不能再直接修改，只能“更正”（会保留修改记录）。请核对以下内容：</source>
        <translation>Once final, the record cannot be edited directly, only corrected (changes are kept). Please check:</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/finalize_dialog.py" line="48"/>
        <source>请注意（不影响定稿）：</source>
        <translation>Please note (does not block finalizing):</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/finalize_dialog.py" line="59"/>
        <source>返回修改</source>
        <translation>Back to editing</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../desktop/first_run.py" line="56"/>
        <source>欢迎使用</source>
        <translation>Welcome to</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="58"/>
        <source>欢迎使用 Yici（一次）</source>
        <translation>Welcome to Yici</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="62"/>
        <source>党支部的会议、走访等记录在这里录入一次，不联网也能用，录入的内容随时自动保存。先做两件事：</source>
        <translation>Enter party branch meetings, visits and other records here once. Works offline; what you type is saved as you go. Two things first:</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="68"/>
        <source>例如：张晓梅</source>
        <translation>e.g. Zhang Xiaomei</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="70"/>
        <source>1. 您的姓名（录入人）</source>
        <translation>1. Your name (operator)</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="73"/>
        <source>姓名(&amp;N)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="76"/>
        <source>例如：红星村党支部（可以以后再添加）</source>
        <translation>e.g. Hongxing Village Party Branch (can be added later)</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="77"/>
        <source>从表格导入花名册(&amp;I)…</source>
        <translation>&amp;Import roster from a spreadsheet…</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="79"/>
        <source>不导入名册</source>
        <translation>Don&apos;t import a roster</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="84"/>
        <source>2. 第一个支部</source>
        <translation>2. Your first branch</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="87"/>
        <source>支部名称(&amp;B)：</source>
        <translation>&amp;Branch name:</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="97"/>
        <source>花名册表格的第一行写“姓名”“职务”“电话”，下面每行一位党员；支持 Excel（.xlsx）和 CSV。更多支部可以以后在“支部与花名册”里添加。</source>
        <translation>In the roster spreadsheet the first row says &quot;姓名&quot;, &quot;职务&quot;, &quot;电话&quot; (name, role, phone), then one member per row; Excel (.xlsx) and CSV work. More branches can be added later under &quot;Branches and rosters&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="107"/>
        <source>开始使用(&amp;S)</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="128"/>
        <source>部署配置</source>
        <translation>Deployment profile</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="130"/>
        <source>发现部署配置文件 %1，是否导入？</source>
        <translation>Deployment profile %1 found. Import it?</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="135"/>
        <source>位置：%1
导入支部、花名册和推送平台等设置；密钥需要以后在“设置 → 推送平台”里录入。</source>
        <translation>Location: %1
Imports branches, rosters, delivery platforms and other settings; secrets are entered later under “Settings → Delivery platforms”.</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="166"/>
        <source>部署配置会修改已有的平台</source>
        <translation>The deployment profile would change existing platforms</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="167"/>
        <source>%1

要按部署配置修改这些平台吗？选“否”则什么都不导入。</source>
        <translation>%1

Change these platforms as the deployment profile says? Choose “No” to import nothing.</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="203"/>
        <source>请填写您的姓名。每条记录都会写明录入人。</source>
        <translation>Please enter your name. Every record says who entered it.</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="211"/>
        <source>花名册里有问题，没有导入。请改正表格后重新选择，或点“不导入名册”以后再导入。</source>
        <translation>The roster has problems and was not imported. Fix the spreadsheet and choose it again, or click &quot;Don&apos;t import a roster&quot; and import it later.</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="215"/>
        <source>请填写花名册所属的支部名称。</source>
        <translation>Please enter the name of the branch this roster belongs to.</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="255"/>
        <source>还没有填写完。现在取消会退出 Yici，下次打开时再填写。确定退出吗？</source>
        <translation>Not finished yet. Cancelling now quits Yici; you can fill this in next time. Quit?</translation>
    </message>
    <message>
        <location filename="../../desktop/first_run.py" line="269"/>
        <source>部署配置已导入。下面的推送平台还需要录入密钥，录入前记录会保存在本机等待发送：
%1

请在“设置 → 推送平台”里选中平台，点“填写密钥…”。</source>
        <translation>The deployment profile was imported. These delivery platforms still need their secrets; until then records wait on this computer:
%1

Under “Settings → Delivery platforms”, select the platform and click “Enter secret…”.</translation>
    </message>
</context>
<context>
    <name>FittedPicture</name>
    <message>
        <location filename="../../desktop/proof_view.py" line="200"/>
        <source>点击看大图</source>
        <translation>Click to see it full size</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <location filename="../../desktop/guide.py" line="22"/>
        <source>使用指南</source>
        <translation>User guide</translation>
    </message>
    <message>
        <location filename="../../desktop/guide.py" line="30"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="42"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="29"/>
        <location filename="../../desktop/editor/history_dialog.py" line="43"/>
        <source>定稿</source>
        <translation>Finalize</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="27"/>
        <source>创建</source>
        <translation>Created</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="28"/>
        <source>修改草稿</source>
        <translation>Draft edited</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="30"/>
        <source>更正</source>
        <translation>Correct</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="31"/>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="32"/>
        <source>删除草稿</source>
        <translation>Delete draft</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="33"/>
        <source>已报送</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="34"/>
        <source>报送失败</source>
        <translation>Delivery failed</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="44"/>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="54"/>
        <source>历史记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="61"/>
        <location filename="../../desktop/editor/history_dialog.py" line="80"/>
        <location filename="../../desktop/editor/history_dialog.py" line="84"/>
        <source>版本</source>
        <translation>Revision</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="61"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="61"/>
        <source>保存时间</source>
        <translation>Saved at</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="61"/>
        <source>录入人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="61"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="84"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="84"/>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="84"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="84"/>
        <source>详情</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="101"/>
        <source>操作记录</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/history_dialog.py" line="104"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>HubConflictDialog</name>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="68"/>
        <source>与乡镇平台的冲突</source>
        <translation>Conflict with the township hub</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="85"/>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="85"/>
        <source>本机的版本</source>
        <translation>This laptop&apos;s version</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="85"/>
        <source>乡镇平台上的版本</source>
        <translation>Version on the township hub</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="98"/>
        <source>两个版本不同的项目</source>
        <translation>Items that differ between the two versions</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="100"/>
        <source>保留本机的版本(&amp;M)</source>
        <translation>Keep &amp;mine</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="101"/>
        <source>采用平台上的版本(&amp;T)</source>
        <translation>Take &amp;theirs</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="102"/>
        <source>按勾选合并(&amp;G)</source>
        <translation>Mer&amp;ge as ticked</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="103"/>
        <source>以后再说</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="104"/>
        <source>以本机的内容为准，作为一次更正发给乡镇平台和其他平台</source>
        <translation>Keep this laptop&apos;s values, sent as a correction to the hub and every other platform</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="105"/>
        <source>以另一台电脑的更正为准，本机的记录改成平台上的内容</source>
        <translation>Take the other laptop&apos;s correction: this record becomes the hub&apos;s version</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="106"/>
        <source>每一项按表里勾选的那一边保留，合并成一个新版本</source>
        <translation>Keep the ticked side of each row, merged into a new version</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="140"/>
        <source>第 {n} 条，共 {total} 条待处理</source>
        <translation>{n} of {total} to settle</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="148"/>
        <source>另一台电脑</source>
        <translation>another laptop</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="153"/>
        <source>这条记录在乡镇平台上已被 {who} 作废（原因：{reason}）。本机的更正没有被接收。只能采用平台上的版本：本机的记录也会作废。</source>
        <translation>{who} voided this record on the township hub (reason: {reason}). This laptop&apos;s correction was not accepted. Only the hub&apos;s version can be taken: the record will be voided here too.</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_conflict_dialog.py" line="160"/>
        <source>这条记录在另一台电脑上也被更正过（{who}，{when}），所以本机的更正没有被乡镇平台接收。下面是两个版本不同的地方。请选择保留哪一版，或在每一行勾选要保留的一边后点“按勾选合并”。不论选哪一种，都会作为一次新的更正保存，并发给各个平台。</source>
        <translation>This record was also corrected on another laptop ({who}, {when}), so the township hub did not accept this laptop&apos;s correction. Below is where the two versions differ. Choose which to keep, or tick the side to keep in each row and click &quot;Merge as ticked&quot;. Whichever you choose is saved as a new correction and sent to every platform.</translation>
    </message>
</context>
<context>
    <name>HubJoinDialog</name>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="53"/>
        <source>未加入</source>
        <translation>Not joined</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="57"/>
        <source>已加入 {url}（{device}）</source>
        <translation>Joined {url} ({device})</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="61"/>
        <source>已加入 {url}</source>
        <translation>Joined {url}</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="64"/>
        <source>，需要处理：{why}</source>
        <translation>; needs attention: {why}</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="76"/>
        <source>加入乡镇平台</source>
        <translation>Join the township hub</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="79"/>
        <source>乡镇管理员会给您乡镇平台的地址和一个一次性的登记码。加入后，本机负责的支部的记录会自动汇总到乡镇平台，乡镇发布的花名册、表单和平台设置也会自动下载到本机。</source>
        <translation>The township&apos;s administrator gives you the hub&apos;s address and a one-time code. Once joined, the records of this laptop&apos;s branches are gathered on the township hub, and the rosters, forms and platform settings the township publishes come down to this laptop.</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="86"/>
        <source>例如：https://10.1.2.3:8470</source>
        <translation>e.g. https://10.1.2.3:8470</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="88"/>
        <source>例如：K7QX-4MCT-HW9A-R3PD</source>
        <translation>e.g. K7QX-4MCT-HW9A-R3PD</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="92"/>
        <source>{name}的电脑</source>
        <translation>{name}&apos;s laptop</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="93"/>
        <source>让乡镇管理员认得出这台电脑，例如：张三的电脑</source>
        <translation>So the township knows this laptop, e.g. Zhang San&apos;s laptop</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="95"/>
        <source>可不填；乡镇使用自己签发的证书时才需要</source>
        <translation>Optional; only when the township signs its own certificates</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="96"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="101"/>
        <source>允许明文 http（仅限县内网，登记码和令牌不加密）</source>
        <translation>Allow plain http (county intranet only; the code and token are not encrypted)</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="106"/>
        <source>平台地址(&amp;U)：</source>
        <translation>Hub &amp;address:</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="107"/>
        <source>登记码(&amp;C)：</source>
        <translation>&amp;Code:</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="108"/>
        <source>本机名称(&amp;N)：</source>
        <translation>This laptop&apos;s &amp;name:</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="109"/>
        <source>CA 证书(&amp;A)：</source>
        <translation>C&amp;A certificate:</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="116"/>
        <source>加入</source>
        <translation>Join</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="117"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="134"/>
        <source>选择 CA 证书</source>
        <translation>Choose a CA certificate</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="136"/>
        <source>证书 (*.pem *.crt *.cer);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="150"/>
        <source>请填写乡镇平台的地址。</source>
        <translation>Enter the township hub&apos;s address.</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="154"/>
        <source>请填写乡镇管理员给的登记码。</source>
        <translation>Enter the code the township&apos;s administrator gave you.</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="158"/>
        <source>正在加入…</source>
        <translation>Joining…</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="171"/>
        <source>正在加入乡镇平台…</source>
        <translation>Joining the township hub…</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="178"/>
        <source>已加入乡镇平台。本机负责的支部：{branches}。</source>
        <translation>Joined the township hub. This laptop&apos;s branches: {branches}.</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="179"/>
        <source>（乡镇还没有分配）</source>
        <translation>(none given yet)</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="183"/>
        <source>{n} 条已定稿的记录会在同步时汇总到乡镇平台。</source>
        <translation>{n} final records will go to the township hub at the next sync.</translation>
    </message>
    <message>
        <location filename="../../desktop/hub_join_dialog.py" line="189"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>IdcardWidget</name>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="119"/>
        <source>18位身份证号码</source>
        <translation>18-character ID card number</translation>
    </message>
</context>
<context>
    <name>LocationWidget</name>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="275"/>
        <source>地点，例如：某某村三组</source>
        <translation>Place, e.g. Group 3 of the village</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="277"/>
        <source>纬度（可不填）</source>
        <translation>Latitude (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="280"/>
        <source>经度（可不填）</source>
        <translation>Longitude (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="286"/>
        <source>用照片的位置</source>
        <translation>Use a photo&apos;s place</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="287"/>
        <source>用记录中照片的拍摄位置填写纬度和经度</source>
        <translation>Fill in latitude and longitude from where a photo of this record was taken</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="311"/>
        <source>记录中的照片都没有拍摄位置（拍照时手机没有打开定位）。请先添加照片，或手动填写。</source>
        <translation>None of the record&apos;s photos has a place (the phone&apos;s location was off). Add a photo that has one, or type the place.</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="313"/>
        <source>记录中还没有照片。请先在下面添加照片，再点“用照片的位置”。</source>
        <translation>The record has no photos yet. Add photos below first, then click &quot;Use a photo&apos;s place&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="322"/>
        <source>已用照片“{name}”的拍摄位置。</source>
        <translation>Filled in from where &quot;{name}&quot; was taken.</translation>
    </message>
</context>
<context>
    <name>LongOptionEditor</name>
    <message>
        <location filename="../../desktop/long_option.py" line="155"/>
        <source>从文件读取…</source>
        <translation>Read from file…</translation>
    </message>
    <message>
        <location filename="../../desktop/long_option.py" line="156"/>
        <source>读取 UTF-8 编码的文本文件，替换上面的内容</source>
        <translation>Read a UTF-8 text file, replacing the text above</translation>
    </message>
    <message>
        <location filename="../../desktop/long_option.py" line="158"/>
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../desktop/long_option.py" line="164"/>
        <source>点一条问题，光标会跳到那一行</source>
        <translation>Click a problem to move the cursor to its line</translation>
    </message>
    <message>
        <location filename="../../desktop/long_option.py" line="199"/>
        <source>✔ 没有发现问题</source>
        <translation>✔ No problems found</translation>
    </message>
    <message>
        <location filename="../../desktop/long_option.py" line="211"/>
        <source>✖ 有 {n} 处问题：</source>
        <translation>✖ {n} problem(s):</translation>
    </message>
    <message>
        <location filename="../../desktop/long_option.py" line="222"/>
        <source>读取文件</source>
        <translation>Read a file</translation>
    </message>
    <message>
        <location filename="../../desktop/long_option.py" line="236"/>
        <source>✖ 没有读取 {file}：{message}</source>
        <translation>✖ {file} was not read: {message}</translation>
    </message>
    <message>
        <location filename="../../desktop/long_option.py" line="247"/>
        <source>YAML 或文本文件 (*.yaml *.yml *.txt);;所有文件 (*)</source>
        <translation>YAML or text files (*.yaml *.yml *.txt);;All files (*)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/main_window.py" line="91"/>
        <location filename="../../desktop/main_window.py" line="260"/>
        <source>支部与花名册(&amp;B)…</source>
        <translation>&amp;Branches and rosters…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="96"/>
        <source>支部</source>
        <translation>Branches</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="102"/>
        <source>&lt;span style=&quot;color:#d4242b&quot;&gt;●&lt;/span&gt; 逾期&#x3000;&lt;span style=&quot;color:#e5a00d&quot;&gt;●&lt;/span&gt; 待办&#x3000;&lt;span style=&quot;color:#2e9d4c&quot;&gt;●&lt;/span&gt; 完成</source>
        <translation>&lt;span style=&quot;color:#d4242b&quot;&gt;●&lt;/span&gt; Overdue  &lt;span style=&quot;color:#e5a00d&quot;&gt;●&lt;/span&gt; Due  &lt;span style=&quot;color:#2e9d4c&quot;&gt;●&lt;/span&gt; Done</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="114"/>
        <source>新建记录</source>
        <translation>New record</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="116"/>
        <source>新建一条记录（Ctrl+N）</source>
        <translation>Create a new record (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="75"/>
        <source>正在打开数据……</source>
        <translation>Opening the data…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="67"/>
        <source>党支部记录</source>
        <translation>Party branch records</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="227"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="228"/>
        <source>新建记录(&amp;N)…</source>
        <translation>&amp;New record…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="231"/>
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="234"/>
        <source>查找(&amp;S)</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="237"/>
        <source>生成台账(&amp;L)…</source>
        <translation>Branch &amp;book…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="238"/>
        <source>支部一年（或半年、一季度）的台账：打印或导出 PDF</source>
        <translation>A branch&apos;s book for a year (or half-year, quarter): print it or export a PDF</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="240"/>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="256"/>
        <source>设置(&amp;S)</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="257"/>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="262"/>
        <source>推送平台(&amp;T)…</source>
        <translation>&amp;Delivery platforms…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="263"/>
        <source>记录定稿后推送到哪些平台；测试连接、录入密钥</source>
        <translation>Where final records are sent; test connections, enter secrets</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="269"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="270"/>
        <source>使用指南(&amp;G)</source>
        <translation>User &amp;guide</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="274"/>
        <source>关于 Yici(&amp;A)</source>
        <translation>&amp;About Yici</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="344"/>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="361"/>
        <source>&lt;h3&gt;Yici 一次&lt;/h3&gt;&lt;p&gt;党支部记录：录入一次，离线也不丢失。&lt;/p&gt;&lt;p&gt;版本：%2&lt;/p&gt;&lt;p&gt;数据文件夹：%1&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Yici 一次&lt;/h3&gt;&lt;p&gt;Party branch records: entered once, kept even offline.&lt;/p&gt;&lt;p&gt;Version: %2&lt;/p&gt;&lt;p&gt;Data folder: %1&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="364"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>MembersWidget</name>
    <message>
        <location filename="../../desktop/editor/roster_widgets.py" line="52"/>
        <source>全选</source>
        <translation>Select all</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/roster_widgets.py" line="53"/>
        <source>全不选</source>
        <translation>Select none</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/roster_widgets.py" line="83"/>
        <source>不在本支部名册中</source>
        <translation>not on this branch roster</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/roster_widgets.py" line="123"/>
        <source>已选 {n} / {total} 人</source>
        <translation>{n} / {total} selected</translation>
    </message>
</context>
<context>
    <name>Operation</name>
    <message>
        <location filename="../../desktop/operations.py" line="158"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>OptionTable</name>
    <message>
        <location filename="../../desktop/option_table.py" line="24"/>
        <source>选项</source>
        <translation>Option</translation>
    </message>
    <message>
        <location filename="../../desktop/option_table.py" line="24"/>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../desktop/option_table.py" line="24"/>
        <source>说明</source>
        <translation>Meaning</translation>
    </message>
    <message>
        <location filename="../../desktop/option_table.py" line="88"/>
        <source>（此类型不认识这个选项）</source>
        <translation>(this kind does not know this option)</translation>
    </message>
</context>
<context>
    <name>PayloadDialog</name>
    <message>
        <location filename="../../desktop/delivery_details.py" line="58"/>
        <source>推送内容 — {target}</source>
        <translation>Delivery content — {target}</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="60"/>
        <source>平台：{target}&#x3000;第 {n} 版&#x3000;状态：{state}&#x3000;{time}</source>
        <translation>Platform: {target}  Revision {n}  State: {state}  {time}</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="68"/>
        <source>（平台还没有回复）</source>
        <translation>(no reply from the platform yet)</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="74"/>
        <source>（还没有发送过，发送后这里显示发出的内容）</source>
        <translation>(not sent yet; what was sent shows here afterwards)</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="77"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="81"/>
        <source>平台回复：</source>
        <translation>Platform reply:</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="83"/>
        <source>发送的内容（密钥已隐去）：</source>
        <translation>Content sent (secrets hidden):</translation>
    </message>
    <message>
        <location filename="../../desktop/delivery_details.py" line="86"/>
        <source>截图（点一张看大图）：</source>
        <translation>Screenshots (click one to see it full size):</translation>
    </message>
</context>
<context>
    <name>PhoneFolderDialog</name>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="55"/>
        <source>从手机文件夹选照片</source>
        <translation>Choose photos from a phone&apos;s folder</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="61"/>
        <source>换一个文件夹…</source>
        <translation>Another folder…</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="64"/>
        <source>点一下照片就选中，再点一下取消。在记录时间前后拍的照片排在最前面。</source>
        <translation>Click a photo to tick it, click again to untick. Photos taken around the record&apos;s time come first.</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="90"/>
        <source>照片</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="97"/>
        <source>添加所选照片</source>
        <translation>Add ticked photos</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="98"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="125"/>
        <location filename="../../desktop/editor/phone_folder.py" line="150"/>
        <source>选择手机或存储卡上的照片文件夹</source>
        <translation>Choose the photo folder on the phone or memory card</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="140"/>
        <source>文件夹：{folder}</source>
        <translation>Folder: {folder}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="141"/>
        <source>正在读取照片…</source>
        <translation>Reading photos…</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="155"/>
        <source>正在读取照片…（{done}/{total}）</source>
        <translation>Reading photos… ({done}/{total})</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="161"/>
        <source>这个文件夹里没有照片（JPEG、HEIC、PNG）。手机的照片一般在 DCIM 文件夹里。</source>
        <translation>No photos (JPEG, HEIC, PNG) in this folder. A phone keeps its photos in the DCIM folder.</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="163"/>
        <source>共 {n} 张照片。</source>
        <translation>{n} photos.</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="165"/>
        <source>照片太多，只列出了前 {max} 张；可以选更具体的文件夹，如 DCIM/Camera。</source>
        <translation>Too many photos: only the first {max} are listed; choose a narrower folder such as DCIM/Camera.</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder.py" line="192"/>
        <source>已选 {n} 张</source>
        <translation>{n} ticked</translation>
    </message>
</context>
<context>
    <name>PhoneFolderModel</name>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="132"/>
        <source>全部照片（{n} 张），最新的在前</source>
        <translation>All photos ({n}), newest first</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="135"/>
        <source>记录时间前后 {hours} 小时内拍的照片（{n} 张）</source>
        <translation>Taken within {hours} hours of the record&apos;s time ({n})</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="139"/>
        <source>没有在记录时间前后 {hours} 小时内拍的照片</source>
        <translation>No photo was taken within {hours} hours of the record&apos;s time</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="143"/>
        <source>其他照片（{n} 张），最新的在前</source>
        <translation>Other photos ({n}), newest first</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="175"/>
        <source>照片</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="175"/>
        <source>拍摄时间</source>
        <translation>Taken</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="175"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="207"/>
        <source>没有拍摄时间</source>
        <translation>No time taken</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="233"/>
        <source>这个文件无法显示</source>
        <translation>This file cannot be shown</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/phone_folder_model.py" line="243"/>
        <source>已在这条记录里</source>
        <translation>Already in this record</translation>
    </message>
</context>
<context>
    <name>PhoneWidget</name>
    <message>
        <location filename="../../desktop/editor/field_widgets.py" line="138"/>
        <source>11位手机号码</source>
        <translation>11-digit mobile number</translation>
    </message>
</context>
<context>
    <name>PhotoCard</name>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="32"/>
        <source>{m} 米</source>
        <translation>{m} m</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="34"/>
        <location filename="../../desktop/editor/photo_card.py" line="35"/>
        <source>{km} 公里</source>
        <translation>{km} km</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="48"/>
        <source>距{branch} {distance}</source>
        <translation>{distance} from {branch}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="61"/>
        <source>拍摄于 {time}</source>
        <translation>Taken {time}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="66"/>
        <source>带有拍摄位置</source>
        <translation>Has the place it was taken</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="108"/>
        <source>点击查看大图</source>
        <translation>Click to see it large</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="115"/>
        <source>查看大图</source>
        <translation>View large</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="116"/>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="117"/>
        <source>从这条记录中去掉这张照片（照片文件仍保留在数据文件夹中）</source>
        <translation>Take this photo off the record (its file stays in the data folder)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_card.py" line="147"/>
        <source>无法显示</source>
        <translation>Cannot show</translation>
    </message>
</context>
<context>
    <name>PhotoPlaceDialog</name>
    <message>
        <location filename="../../desktop/editor/photo_place.py" line="45"/>
        <source>用哪张照片的位置</source>
        <translation>Which photo&apos;s place</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_place.py" line="48"/>
        <source>有 {n} 张照片带有拍摄位置，请选一张（最好是在走访地点拍的）：</source>
        <translation>{n} photos carry the place they were taken; choose one (best one taken at the visit):</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_place.py" line="55"/>
        <source>照片</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_place.py" line="63"/>
        <source>用这张的位置</source>
        <translation>Use this one&apos;s place</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_place.py" line="64"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_place.py" line="82"/>
        <source>拍摄于 {time}</source>
        <translation>Taken {time}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_place.py" line="84"/>
        <source>纬度 {lat}，经度 {lon}</source>
        <translation>Latitude {lat}, longitude {lon}</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <location filename="../../desktop/editor/photo_viewer.py" line="40"/>
        <source>上一张</source>
        <translation>Previous</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_viewer.py" line="41"/>
        <source>下一张</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_viewer.py" line="42"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_viewer.py" line="72"/>
        <source>照片 {n}/{total}：{name}</source>
        <translation>Photo {n}/{total}: {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_viewer.py" line="86"/>
        <source>正在打开照片…</source>
        <translation>Opening the photo…</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_viewer.py" line="99"/>
        <source>拍摄位置：纬度 {lat}，经度 {lon}</source>
        <translation>Taken at latitude {lat}, longitude {lon}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_viewer.py" line="105"/>
        <source>相机：{camera}</source>
        <translation>Camera: {camera}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photo_viewer.py" line="118"/>
        <source>这张照片无法显示（文件缺失或已损坏）</source>
        <translation>This photo cannot be shown (its file is missing or damaged)</translation>
    </message>
</context>
<context>
    <name>PhotosWidget</name>
    <message>
        <location filename="../../desktop/editor/photos_widget.py" line="34"/>
        <source>从手机文件夹选…</source>
        <translation>From a phone&apos;s folder…</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photos_widget.py" line="36"/>
        <source>手机用数据线连到电脑，或插上存储卡，选它的照片文件夹（如 DCIM）</source>
        <translation>Connect the phone with a USB cable, or insert its memory card, and choose its photo folder (e.g. DCIM)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photos_widget.py" line="55"/>
        <source>添加照片…</source>
        <translation>Add photos…</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photos_widget.py" line="58"/>
        <source>照片 (*.jpg *.jpeg *.heic *.heif *.png);;所有文件 (*)</source>
        <translation>Photos (*.jpg *.jpeg *.heic *.heif *.png);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/photos_widget.py" line="66"/>
        <source>{reason}没有添加。</source>
        <translation>{reason} Not added.</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../../desktop/paper/printing.py" line="53"/>
        <source>打印预览 — {title}</source>
        <translation>Print preview — {title}</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="61"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="62"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="87"/>
        <source>打印机没有接受这次打印。请检查打印机是否开着、连好，或换一台打印机再试。</source>
        <translation>The printer did not take the job. Check that it is on and connected, or choose another printer and try again.</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="106"/>
        <location filename="../../desktop/paper/printing.py" line="119"/>
        <location filename="../../desktop/paper/printing.py" line="142"/>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="108"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="120"/>
        <source>已导出 {pages} 页：
{path}</source>
        <translation>Exported {pages} pages:
{path}</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="133"/>
        <source>磁盘空间已满，PDF 没有导出。请删除一些不需要的文件、腾出空间后再导出。</source>
        <translation>The disk is full: the PDF was not exported. Delete some files you do not need to make room, then export again.</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="137"/>
        <source>无法写入 PDF 文件：
{path}
（{reason}）
如果这个文件正在 PDF 阅读器等程序里打开，请先关闭它；或者换一个文件夹或文件名再导出。</source>
        <translation>Cannot write the PDF file:
{path}
({reason})
If the file is open in a PDF reader or another program, close it first; or export to another folder or file name.</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="86"/>
        <location filename="../../desktop/paper/printing.py" line="155"/>
        <source>无法打印</source>
        <translation>Cannot print</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="156"/>
        <source>打印版式出错，没有打印：
{problems}</source>
        <translation>The print layout failed; nothing was printed:
{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/paper/printing.py" line="175"/>
        <source>正在生成 PDF……</source>
        <translation>Making the PDF…</translation>
    </message>
</context>
<context>
    <name>ProofStrip</name>
    <message>
        <location filename="../../desktop/proof_view.py" line="35"/>
        <source>提交前</source>
        <translation>Before submitting</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="36"/>
        <source>提交后</source>
        <translation>After submitting</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="37"/>
        <source>平台上已有</source>
        <translation>Already on the platform</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="141"/>
        <source>（截图文件不见了）</source>
        <translation>(screenshot file missing)</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="175"/>
        <source>{what} · {when}
{url}</source>
        <translation>{what} · {when}
{url}</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="178"/>
        <source>截图 — {what}</source>
        <translation>Screenshot — {what}</translation>
    </message>
</context>
<context>
    <name>ProofViewer</name>
    <message>
        <location filename="../../desktop/proof_view.py" line="55"/>
        <source>PNG 图片 (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="74"/>
        <source>（这张截图无法显示）</source>
        <translation>(this screenshot cannot be shown)</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="83"/>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="85"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="99"/>
        <source>把截图另存为</source>
        <translation>Save the screenshot as</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="108"/>
        <source>没有保存：{reason}。请换一个文件夹再试。</source>
        <translation>Not saved: {reason}. Please try another folder.</translation>
    </message>
    <message>
        <location filename="../../desktop/proof_view.py" line="111"/>
        <source>已保存到 {path}</source>
        <translation>Saved to {path}</translation>
    </message>
</context>
<context>
    <name>RecipeTestDialog</name>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="53"/>
        <source>测试配方 — {name}</source>
        <translation>Test the recipe — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="56"/>
        <source>Yici 会打开浏览器，登录“{name}”，用一条样例记录试填表单，不会提交。看过浏览器中填好的表单后，回到这里点“继续”。</source>
        <translation>Yici will open the browser, log in to “{name}” and fill the form with a sample record, without submitting it. Look at the filled form in the browser, then come back here and press “Continue”.</translation>
    </message>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="60"/>
        <source>再测试一次</source>
        <translation>Test again</translation>
    </message>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="61"/>
        <source>不再等待，关闭浏览器</source>
        <translation>Stop waiting and close the browser</translation>
    </message>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="63"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="63"/>
        <source>配方行</source>
        <translation>Recipe line</translation>
    </message>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="63"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="129"/>
        <source>试填的表单</source>
        <translation>Form filled as a test</translation>
    </message>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="132"/>
        <source>截图 — {what}</source>
        <translation>Screenshot — {what}</translation>
    </message>
    <message>
        <location filename="../../desktop/recipe_test_dialog.py" line="133"/>
        <source>“{name}”的表单，用样例记录试填，没有提交</source>
        <translation>The form of “{name}”, filled with a sample record, not submitted</translation>
    </message>
</context>
<context>
    <name>RecordCount</name>
    <message numerus="yes">
        <location filename="../../desktop/window_records.py" line="65"/>
        <source>共 %Ln 条记录</source>
        <translation>
            <numerusform>%Ln record</numerusform>
            <numerusform>%Ln records</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <location filename="../../desktop/editor/record_editor.py" line="160"/>
        <source>有未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_editor.py" line="262"/>
        <source>保存失败：{error}</source>
        <translation>Save failed: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_editor.py" line="269"/>
        <source>已自动保存 {time}</source>
        <translation>Saved automatically {time}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_editor.py" line="271"/>
        <source>已保存草稿 {time}</source>
        <translation>Draft saved {time}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_editor.py" line="297"/>
        <source>保存失败</source>
        <translation>Save failed</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_editor.py" line="298"/>
        <source>草稿没有保存成功。仍要关闭窗口吗？关闭会丢失刚才的修改。</source>
        <translation>The draft could not be saved. Close anyway? The latest changes would be lost.</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_editor.py" line="312"/>
        <source>放弃更正</source>
        <translation>Discard correction</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_editor.py" line="313"/>
        <source>更正还没有保存。放弃这些修改并关闭吗？</source>
        <translation>The correction is not saved. Discard the changes and close?</translation>
    </message>
</context>
<context>
    <name>RecordPrintingMixin</name>
    <message>
        <location filename="../../desktop/editor/record_printing.py" line="37"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_printing.py" line="49"/>
        <source>请先保存更正（或取消更正）再打印</source>
        <translation>Save (or cancel) the correction first, then print</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_printing.py" line="51"/>
        <source>打印这条记录，或导出为 PDF（记录本格式）</source>
        <translation>Print this record, or export it as a PDF (record-book layout)</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_printing.py" line="39"/>
        <source>打印预览…</source>
        <translation>Print preview…</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_printing.py" line="40"/>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
</context>
<context>
    <name>RecordStepsMixin</name>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="74"/>
        <source>有 {n} 处需要改正，改好后才能定稿</source>
        <translation>{n} problems to fix before the record can be finalized</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="110"/>
        <source>定稿失败</source>
        <translation>Finalize failed</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="110"/>
        <source>定稿没有成功：{error}</source>
        <translation>The record was not finalized: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="113"/>
        <source>已定稿 {time}</source>
        <translation>Finalized {time}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="157"/>
        <source>更正失败</source>
        <translation>Correction failed</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="157"/>
        <source>更正没有保存：{error}</source>
        <translation>The correction was not saved: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="160"/>
        <source>已保存更正（第 {n} 版）</source>
        <translation>Correction saved (revision {n})</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="179"/>
        <source>作废失败</source>
        <translation>Void failed</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="179"/>
        <source>作废没有成功：{error}</source>
        <translation>The record was not voided: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="182"/>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="192"/>
        <source>删除草稿</source>
        <translation>Delete draft</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="193"/>
        <source>确定删除这份草稿吗？删除后不能恢复。</source>
        <translation>Delete this draft? This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/record_steps.py" line="204"/>
        <source>删除失败</source>
        <translation>Delete failed</translation>
    </message>
</context>
<context>
    <name>RecordsModel</name>
    <message>
        <location filename="../../desktop/records_model.py" line="64"/>
        <source>表单</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../desktop/records_model.py" line="65"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/records_model.py" line="66"/>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location filename="../../desktop/records_model.py" line="67"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/records_model.py" line="68"/>
        <source>修订</source>
        <translation>Rev.</translation>
    </message>
    <message>
        <location filename="../../desktop/records_model.py" line="69"/>
        <source>录入人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../desktop/records_model.py" line="70"/>
        <source>更新时间</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../desktop/records_model.py" line="72"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../desktop/records_model.py" line="72"/>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <location filename="../../desktop/records_model.py" line="72"/>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
</context>
<context>
    <name>RecordsSideMixin</name>
    <message>
        <location filename="../../desktop/window_records.py" line="90"/>
        <source>表单</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="91"/>
        <source>全部表单</source>
        <translation>All forms</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="93"/>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="94"/>
        <source>全部月份</source>
        <translation>All months</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="97"/>
        <source>%1年%2月</source>
        <translation>%2/%1</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="100"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="102"/>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="103"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="104"/>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="105"/>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="109"/>
        <source>搜索摘要和内容（Ctrl+F）</source>
        <translation>Search summaries and content (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="111"/>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="131"/>
        <source>记录</source>
        <translation>Records</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="265"/>
        <source>正在统计……</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="269"/>
        <source>还没有支部。请点左下角“支部与花名册”添加支部和党员。</source>
        <translation>No branches yet. Click &quot;Branches and rosters&quot; at the bottom left to add branches and members.</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="271"/>
        <source>没有符合条件的记录。可以换个条件再找。</source>
        <translation>No records match. Try other filters.</translation>
    </message>
    <message>
        <location filename="../../desktop/window_records.py" line="273"/>
        <source>这个支部还没有记录。点“新建记录”（Ctrl+N）开始录入。</source>
        <translation>This branch has no records yet. Click &quot;New record&quot; (Ctrl+N) to start.</translation>
    </message>
</context>
<context>
    <name>RepeatWidget</name>
    <message>
        <location filename="../../desktop/editor/repeat_widget.py" line="35"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/repeat_widget.py" line="36"/>
        <source>删除这一行</source>
        <translation>Delete this row</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/repeat_widget.py" line="56"/>
        <source>暂无，点“添加一行”填写</source>
        <translation>None yet; click &quot;Add row&quot;</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/repeat_widget.py" line="58"/>
        <source>添加一行</source>
        <translation>Add row</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/repeat_widget.py" line="85"/>
        <source>第 {i} 行</source>
        <translation>Row {i}</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="59"/>
        <source>从备份恢复</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="67"/>
        <source>选择一个备份，用它替换现在的数据。现在的数据会先自动备份一份。
备份文件夹：%1</source>
        <translation>Choose a backup to replace the current data with. The current data is backed up first.
Backups folder: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="76"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="76"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="76"/>
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="76"/>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="84"/>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="96"/>
        <source>还没有备份。可以用“文件 → 备份”立即备份一次，或点“选择其他文件…”。</source>
        <translation>No backups yet. Use File → Back up to make one now, or click &quot;Choose another file…&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="102"/>
        <source>选择其他文件…</source>
        <translation>Choose another file…</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="105"/>
        <source>恢复…</source>
        <translation>Restore…</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="109"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="138"/>
        <source>完好</source>
        <translation>Sound</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="138"/>
        <source>没有通过检查，不能用</source>
        <translation>Failed the check: cannot be used</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="152"/>
        <source>选择备份文件</source>
        <translation>Choose a backup file</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="151"/>
        <source>一次备份 (*.db);;所有文件 (*)</source>
        <translation>Yici backups (*.db);;All files (*)</translation>
    </message>
</context>
<context>
    <name>RosterImportDialog</name>
    <message>
        <location filename="../../desktop/roster_import.py" line="38"/>
        <source>选择花名册文件</source>
        <translation>Choose a roster file</translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="40"/>
        <source>花名册 (*.xlsx *.csv)</source>
        <translation>Rosters (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="125"/>
        <source>导入花名册 · %1</source>
        <translation>Import roster · %1</translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="137"/>
        <source>选择文件(&amp;O)…</source>
        <translation>Ch&amp;oose file…</translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="141"/>
        <source>导入(&amp;I)</source>
        <translation>&amp;Import</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/roster_import.py" line="179"/>
        <source>名册没有变化：文件中的 %n 人都已在名册上，信息相同，不需要导入。</source>
        <translation>
            <numerusform>The roster has not changed: the %n person in the file is already on the roster with the same details. Nothing to import.</numerusform>
            <numerusform>The roster has not changed: all %n people in the file are already on the roster with the same details. Nothing to import.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="183"/>
        <source>导入后：新增 %1 人，更新 %2 人，%3 人没有变化。</source>
        <translation>After import: %1 added, %2 updated, %3 unchanged.</translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="189"/>
        <source>更新：</source>
        <translation>Updated: </translation>
    </message>
</context>
<context>
    <name>RosterPreview</name>
    <message>
        <location filename="../../desktop/roster_import.py" line="53"/>
        <source>尚未选择文件。表头需要“姓名”列，可选“职务”“电话”。</source>
        <translation>No file chosen yet. The header needs a &quot;姓名&quot; (name) column; &quot;职务&quot; (role) and &quot;电话&quot; (phone) are optional.</translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="58"/>
        <source>行</source>
        <translation>Line</translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="58"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="58"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="58"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/roster_import.py" line="85"/>
        <source>文件：%1 —— 可导入 %n 人</source>
        <translation>
            <numerusform>File: %1 — %n person to import</numerusform>
            <numerusform>File: %1 — %n people to import</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/roster_import.py" line="91"/>
        <source>发现 %n 处问题，整个名册暂不导入。请在表格里改正后重新选择文件：</source>
        <translation>
            <numerusform>Found %n problem, so nothing will be imported. Fix it in the spreadsheet and choose the file again:</numerusform>
            <numerusform>Found %n problems, so nothing will be imported. Fix them in the spreadsheet and choose the file again:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/roster_import.py" line="97"/>
        <source>……另有 %1 处</source>
        <translation>… and %1 more</translation>
    </message>
</context>
<context>
    <name>SecretDialog</name>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="36"/>
        <source>填写密钥 — {name}</source>
        <translation>Enter secret — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="40"/>
        <source>密钥只保存在本机的系统钥匙串里，不会写进数据文件、导出文件或日志。留空表示不修改。</source>
        <translation>The secret is kept only in this computer&apos;s system keychain, never in the data file, exports or logs. Leave empty to keep it unchanged.</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="45"/>
        <source>这些密钥只会发往：{where}（平台地址改变后需要重新填写）</source>
        <translation>These secrets are only ever sent to: {where} (if the platform address changes they must be entered again)</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="47"/>
        <source>群机器人的密钥只会发往填写的 Webhook 地址所在的主机。</source>
        <translation>A group robot&apos;s secrets are only ever sent to the host of the webhook address entered.</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="75"/>
        <source>显示输入的内容</source>
        <translation>Show what is typed</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="78"/>
        <source>这个平台（按当前的认证方式）不需要密钥。</source>
        <translation>This platform (with its current sign-in method) needs no secret.</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="85"/>
        <source>保存到钥匙串</source>
        <translation>Save to keychain</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="87"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="107"/>
        <source>已保存：{masked}</source>
        <translation>Saved: {masked}</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="107"/>
        <source>未填写</source>
        <translation>Not filled in</translation>
    </message>
    <message>
        <location filename="../../desktop/secret_dialog.py" line="126"/>
        <source>没有填写任何密钥。</source>
        <translation>No secret was entered.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="34"/>
        <location filename="../../desktop/settings_dialog.py" line="119"/>
        <location filename="../../desktop/settings_dialog.py" line="134"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="38"/>
        <source>例如：张晓梅</source>
        <translation>e.g. Zhang Xiaomei</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="43"/>
        <source>例如：中共某某镇委员会；印在台账封面上</source>
        <translation>e.g. the township Party committee; printed on the book&apos;s cover</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="48"/>
        <source>标准</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="49"/>
        <source>大字</source>
        <translation>Large</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="50"/>
        <source>特大</source>
        <translation>Extra large</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="61"/>
        <source>切换语言需要重新启动 Yici 才能生效。</source>
        <translation>A new language takes effect after Yici is restarted.</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="67"/>
        <source>录入人姓名(&amp;N)：</source>
        <translation>Operator &amp;name:</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="68"/>
        <source>乡镇(&amp;T)：</source>
        <translation>&amp;Township:</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="69"/>
        <source>字体大小(&amp;F)：</source>
        <translation>&amp;Font size:</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="70"/>
        <source>界面语言(&amp;L)：</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="81"/>
        <source>乡镇平台：</source>
        <translation>Township hub:</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="99"/>
        <source>重新加入…</source>
        <translation>Join again…</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="99"/>
        <source>加入乡镇平台…</source>
        <translation>Join the township hub…</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="119"/>
        <source>请填写录入人姓名。记录里会写明是谁录入的。</source>
        <translation>Please enter the operator&apos;s name. Every record says who entered it.</translation>
    </message>
    <message>
        <location filename="../../desktop/settings_dialog.py" line="134"/>
        <source>界面语言已保存，重新启动 Yici 后生效。</source>
        <translation>The language is saved; it takes effect after Yici is restarted.</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <location filename="../../desktop/single_instance.py" line="70"/>
        <source>Yici 已经打开了这个数据文件夹，请在任务栏里找到它的窗口。</source>
        <translation>Yici already has this data folder open. Find its window in the taskbar.</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../../desktop/sync_state.py" line="76"/>
        <source>{n} 条待发送</source>
        <translation>{n} waiting to send</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="82"/>
        <source>未配置推送平台</source>
        <translation>No delivery platform configured</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="84"/>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="86"/>
        <source>同步出错：{error}</source>
        <translation>Sync error: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="90"/>
        <source>需要处理：{names}</source>
        <translation>Needs attention: {names}</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="93"/>
        <source>{n} 条记录与乡镇平台冲突，请处理</source>
        <translation>{n} records conflict with the township hub, please settle</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="96"/>
        <source>{n} 条可能已发送，请确认</source>
        <translation>{n} may have been sent; please confirm</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="99"/>
        <source>{n} 条发送失败，请查看</source>
        <translation>{n} failed to send; please check</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="102"/>
        <source>另一个 Yici 正在同步此数据文件夹</source>
        <translation>Another Yici is syncing this data folder</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="106"/>
        <source>离线 · {pending}</source>
        <translation>Offline · {pending}</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="108"/>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="110"/>
        <source>{n} 条待上传导入文件</source>
        <translation>{n} waiting for the import file to be uploaded</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="113"/>
        <source>{n} 条待录入</source>
        <translation>{n} to enter by hand</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_state.py" line="117"/>
        <source>全部已送达</source>
        <translation>All delivered</translation>
    </message>
</context>
<context>
    <name>SyncNotice</name>
    <message>
        <location filename="../../desktop/sync_notice.py" line="87"/>
        <source>查看</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="103"/>
        <source>同步出错：{error}。请点“立即同步”重试；如果一直出错，请把日志发给技术人员。</source>
        <translation>Sync error: {error}. Click &quot;Sync now&quot; to retry; if it keeps failing, send the log to your IT contact.</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="109"/>
        <source>推送平台“{name}”已暂停，需要处理：{why}</source>
        <translation>Delivery platform &quot;{name}&quot; is paused and needs attention: {why}</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="113"/>
        <source>{n} 条记录在另一台电脑上也被更正过，乡镇平台没有接收本机的更正：请选择保留哪一版。</source>
        <translation>{n} records were also corrected on another laptop and the township hub did not accept this laptop&apos;s correction: choose which version to keep.</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="117"/>
        <source>{n} 条推送可能已经发出，请确认是否送达。</source>
        <translation>{n} deliveries may have been sent; please confirm whether they arrived.</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="119"/>
        <source>{n} 条推送被平台拒收，请查看原因。</source>
        <translation>{n} deliveries were refused by the platform; see why.</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="122"/>
        <source>{n} 条记录已写入 Excel 导入文件，上传到平台后请点“确认已上传”。</source>
        <translation>{n} records were written to the Excel import file; after uploading it to the platform click &quot;Confirm uploaded&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="128"/>
        <source>{n} 条记录等待在平台上手工录入：点“查看”逐项复制，录好后点“已录入”。</source>
        <translation>{n} records wait to be typed into a platform: click “View” to copy the values one by one, then click “Entered”.</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../desktop/sync_notice.py" line="34"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="35"/>
        <source>马上把待发送的记录发出去（网络刚恢复时也可以点）</source>
        <translation>Send waiting records now (also useful right after the network comes back)</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="45"/>
        <source>未配置推送平台</source>
        <translation>No delivery platform configured</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_notice.py" line="55"/>
        <source>网络恢复后会自动发送；也可以点“立即同步”。</source>
        <translation>Records are sent automatically when the network is back; or click &quot;Sync now&quot;.</translation>
    </message>
</context>
<context>
    <name>TargetForm</name>
    <message>
        <location filename="../../desktop/target_options.py" line="47"/>
        <source>认证方式：none（无）、bearer（令牌）、api_key（API Key 请求头）、hmac（appKey/appSecret 签名）</source>
        <translation>Authentication: none, bearer (token), api_key (API key header), hmac (appKey/appSecret signature)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="53"/>
        <source>请求方法：POST（默认）、PUT 或 PATCH</source>
        <translation>Request method: POST (default), PUT or PATCH</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="56"/>
        <source>auth=api_key 时放 API Key 的请求头名称，默认 X-API-Key</source>
        <translation>With auth=api_key: the header that carries the API key, default X-API-Key</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="60"/>
        <source>auth=hmac 时的 appKey（不是密钥，appSecret 请在“填写密钥”里填）</source>
        <translation>With auth=hmac: the appKey (not secret; enter the appSecret under “Enter secret”)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="66"/>
        <source>哪些 HTTP 状态算成功：2xx（默认），或如 200,201</source>
        <translation>Which HTTP statuses mean success: 2xx (default), or e.g. 200,201</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="70"/>
        <source>回复 JSON 里表示成功的字段，如 code；与 success_value 一起用</source>
        <translation>Field of the JSON reply that signals success, e.g. code; use with success_value</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="72"/>
        <source>success_path 字段等于这个值才算成功，如 0</source>
        <translation>Success only when the success_path field equals this value, e.g. 0</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="73"/>
        <source>回复 JSON 里平台记录编号的位置，如 data.id</source>
        <translation>Where the platform&apos;s record id is in the JSON reply, e.g. data.id</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="76"/>
        <source>更正时发往的地址，如 https://x/api/records/{remote_id}</source>
        <translation>Address for corrections, e.g. https://x/api/records/{remote_id}</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="78"/>
        <source>更正时的请求方法，默认 PUT</source>
        <translation>Request method for corrections, default PUT</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="81"/>
        <source>照片：none（不发，默认）、multipart（文件上传）、base64（放进 JSON）</source>
        <translation>Photos: none (not sent, default), multipart (file upload), base64 (inside the JSON)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="30"/>
        <source>照片的拍摄信息（时间、位置、相机）：strip 去掉（默认），keep 保留（平台要求时）</source>
        <translation>The photos&apos; camera details (time, place, camera): strip removes them (default), keep keeps them (when the platform asks)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="37"/>
        <source>平台对每张照片的大小限制，如 2MB；超过就缩小后再发</source>
        <translation>The platform&apos;s size limit per photo, e.g. 2MB; larger photos are made smaller before they are sent</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="86"/>
        <source>内网平台的 CA 证书文件路径（在系统证书之外额外信任）</source>
        <translation>CA certificate file for an intranet platform (trusted in addition to the system&apos;s)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="87"/>
        <source>等待回复的秒数，默认 30</source>
        <translation>Seconds to wait for a reply, default 30</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="88"/>
        <source>“测试”按钮访问的地址，默认为接口地址</source>
        <translation>Address the “Test” button calls, default: the API address</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="89"/>
        <source>“测试”按钮的请求方法，默认 POST</source>
        <translation>Request method of the “Test” button, default POST</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="92"/>
        <location filename="../../desktop/target_options.py" line="105"/>
        <location filename="../../desktop/target_options.py" line="117"/>
        <location filename="../../desktop/target_options.py" line="128"/>
        <source>允许用明文 http:// 发送（只用于没有 https 的县内网平台，密钥不加密）：是 / 否</source>
        <translation>Allow sending over plain http:// (only for county intranet platforms without https; secrets travel unencrypted): yes / no</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="98"/>
        <location filename="../../desktop/target_options.py" line="123"/>
        <source>机器人安全设置里的“自定义关键词”，消息里会自动带上</source>
        <translation>The robot&apos;s “custom keyword” security setting; added to every message</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="99"/>
        <source>要 @ 的手机号，用逗号分隔</source>
        <translation>Mobile numbers to @-mention, separated by commas</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="100"/>
        <source>是否 @所有人：是 / 否</source>
        <translation>@-mention everyone: yes / no</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="101"/>
        <location filename="../../desktop/target_options.py" line="113"/>
        <location filename="../../desktop/target_options.py" line="124"/>
        <source>等待回复的秒数，默认 20</source>
        <translation>Seconds to wait for a reply, default 20</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="102"/>
        <location filename="../../desktop/target_options.py" line="114"/>
        <location filename="../../desktop/target_options.py" line="125"/>
        <source>额外信任的 CA 证书文件路径</source>
        <translation>Path of an extra CA certificate file to trust</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="111"/>
        <source>是否把照片作为图片消息发到群里：是（默认）/ 否</source>
        <translation>Whether to post photos to the group as image messages: yes (default) / no</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="112"/>
        <source>每条记录最多发送几张照片</source>
        <translation>At most this many photos per record</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="134"/>
        <source>导出文件夹（必填），导入文件写在这里</source>
        <translation>Export folder (required); import files are written here</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="137"/>
        <source>列设置：表头=表达式，用分号分隔，如 会议类型=meeting_type; 召开日期=held_at[:10]; 支部名称=branch</source>
        <translation>Columns: header=expression, separated by semicolons, e.g. 会议类型=meeting_type; 召开日期=held_at[:10]; 支部名称=branch</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="145"/>
        <source>平台提供的 Excel 导入模板（.xlsx）；不填则新建只有表头的表格</source>
        <translation>The platform&apos;s Excel import template (.xlsx); if empty, a sheet with only the headers is created</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="147"/>
        <source>模板里的工作表名称，默认第一个</source>
        <translation>Worksheet name in the template, default the first</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="148"/>
        <source>表头所在的行号，默认 1</source>
        <translation>Row number of the header, default 1</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="153"/>
        <source>平台的字段，按平台上的顺序：标签 = 表达式，用分号或换行分隔，如 会议类型 = meeting_type; 召开日期 = held_at[:10]; 所属支部 = branch</source>
        <translation>The platform&apos;s fields in its order: label = expression, separated by semicolons or new lines, e.g. 会议类型 = meeting_type; 召开日期 = held_at[:10]; 所属支部 = branch</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="159"/>
        <source>导出照片的文件夹（可不填，导出时再选）</source>
        <translation>Folder to export photos to (optional; chosen when exporting)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="165"/>
        <source>网页表单的配方（YAML）：起始网址、怎样登录、怎样打开表单、每个字段填什么、提交按钮和成功的标志。写法和例子见 docs/PLATFORMS.md</source>
        <translation>The web form recipe (YAML): start address, how to log in, how to reach the form, what goes in each field, the submit button and the sign of success. How to write one, with examples: docs/PLATFORMS.md</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="173"/>
        <source>允许配方中的网址用明文 http://（只用于没有 https 的县内网平台，密码不加密）：是 / 否</source>
        <translation>Allow the recipe&apos;s addresses to use plain http:// (only for county intranet platforms without https; the password is not encrypted): yes / no</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="181"/>
        <source>乡镇自己签发证书时，信任的 CA 证书文件路径</source>
        <translation>The CA certificate file to trust when the township signs its own certificates</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="182"/>
        <source>等待乡镇平台回复的秒数</source>
        <translation>Seconds to wait for the township hub&apos;s answer</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="185"/>
        <source>允许用明文 http:// 连接（只用于没有 https 的县内网，令牌不加密）：是 / 否</source>
        <translation>Allow plain http:// (only for a county intranet without https; the token is not encrypted): yes / no</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="193"/>
        <source>机器人 Webhook 地址</source>
        <translation>Robot webhook address</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="194"/>
        <source>加签密钥（SEC 开头，可不填）</source>
        <translation>Signing secret (starts with SEC, optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="195"/>
        <source>访问令牌（token）</source>
        <translation>Access token</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="196"/>
        <source>API Key</source>
        <translation>API Key</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="197"/>
        <source>appSecret</source>
        <translation>appSecret</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="198"/>
        <source>本机的乡镇平台令牌（加入时自动保存）</source>
        <translation>This laptop&apos;s township hub token (kept when joining)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="199"/>
        <source>账号</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="200"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="204"/>
        <source>请求体模板（Jinja2，生成 JSON，值请用 | tojson）。不填则发送默认的 JSON。</source>
        <translation>Request body template (Jinja2, producing JSON; use | tojson for values). If empty, the default JSON is sent.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_options.py" line="207"/>
        <location filename="../../desktop/target_options.py" line="210"/>
        <location filename="../../desktop/target_options.py" line="211"/>
        <source>消息模板（Jinja2，Markdown）。不填则使用表单自带的中文消息。</source>
        <translation>Message template (Jinja2, Markdown). If empty, the form&apos;s own Chinese message is used.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="63"/>
        <source>添加推送平台</source>
        <translation>Add delivery platform</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="65"/>
        <source>修改推送平台 — {name}</source>
        <translation>Edit delivery platform — {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="69"/>
        <source>如：县党建云平台、支部工作群</source>
        <translation>e.g. county party-building cloud, branch work group</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="77"/>
        <source>平台类型不能修改；如需更换，请新建一个平台。</source>
        <translation>The platform type cannot be changed; create a new platform instead.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="80"/>
        <source>启用（取消勾选则暂停向这个平台推送）</source>
        <translation>Enabled (untick to pause deliveries to this platform)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="98"/>
        <source>检查模板</source>
        <translation>Check template</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="182"/>
        <source>选项</source>
        <translation>Option</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="109"/>
        <source>添加选项</source>
        <translation>Add option</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="112"/>
        <source>删除选项</source>
        <translation>Remove option</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="144"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="145"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="150"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="151"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="152"/>
        <source>接口地址</source>
        <translation>Endpoint URL</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="157"/>
        <source>表单（都不勾选 = 全部表单）</source>
        <translation>Forms (none ticked = all forms)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="158"/>
        <source>支部（都不勾选 = 全部支部）</source>
        <translation>Branches (none ticked = all branches)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="164"/>
        <source>范围</source>
        <translation>Scope</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="173"/>
        <source>模板</source>
        <translation>Template</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="227"/>
        <source>配方</source>
        <translation>Recipe</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="227"/>
        <source>字段</source>
        <translation>Fields</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="238"/>
        <source>其他选项…</source>
        <translation>More options…</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="270"/>
        <source>⚠ 已允许明文 http：记录和密钥在网络上不加密传输，只应在县内网等可信网络中使用。</source>
        <translation>⚠ Plain http allowed: records and secrets travel unencrypted; use only on a trusted network such as a county intranet.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="273"/>
        <source>⚠ 明文 http：记录和令牌会在网络上不加密传输。请改用 https://；如果这个平台只有 http（如县内网），请添加选项 allow_plain_http，值填“是”。</source>
        <translation>⚠ Plain http: records and tokens would travel unencrypted. Please use https://; if this platform only has http (e.g. a county intranet), add the option allow_plain_http with the value “yes”.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="302"/>
        <source>配方中的网址必须用 https://，以免账号和密码在网络上明文传输；如果这个平台只有 http（如县内网），请添加选项 allow_plain_http，值填“是”。</source>
        <translation>The addresses in the recipe must use https://, so the account and password do not cross the network in plain text; if this platform only has http (e.g. a county intranet), add the option allow_plain_http with the value “yes”.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="307"/>
        <source>接口地址必须用 https://，以免记录和令牌在网络上明文传输；如果这个平台只有 http（如县内网），请添加选项 allow_plain_http，值填“是”。</source>
        <translation>The API address must use https:// so records and tokens do not travel in plain text; if this platform only has http (e.g. a county intranet), add the option allow_plain_http with the value “yes”.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="317"/>
        <source>{what}有错误，请按上面列出的行改正。</source>
        <translation>{what}: there are mistakes; please correct the lines listed above.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="355"/>
        <source>发送地址改变</source>
        <translation>Destination changed</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="357"/>
        <source>发送地址将从 {before} 改为 {after}。为安全起见，为原地址保存的密钥会被删除，保存后需要重新填写密钥，在此之前这个平台暂停发送。确定保存吗？</source>
        <translation>The destination changes from {before} to {after}. For safety the secrets saved for the old address will be deleted; after saving, enter the secrets again. Until then this platform does not send. Save?</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="360"/>
        <location filename="../../desktop/target_form.py" line="361"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="294"/>
        <source>请填写平台名称。</source>
        <translation>Please enter a platform name.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="211"/>
        <source>同时推送已定稿的 {n} 条记录</source>
        <translation>Also send the {n} finalized records</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="213"/>
        <source>按上面的表单和支部范围。</source>
        <translation>Within the forms and branches above.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="215"/>
        <source>这个平台还没有收到它们；按上面的表单和支部范围。</source>
        <translation>This platform has not received them; within the forms and branches above.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="297"/>
        <source>请填写接口地址，以 https:// 开头。</source>
        <translation>Please enter the endpoint URL, starting with https://.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="321"/>
        <source>有重复的选项名，请删掉多余的一行。</source>
        <translation>An option name appears twice; delete the extra row.</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="323"/>
        <source>模板有错误，请先改正（见模板下方的说明）。</source>
        <translation>The template has errors; fix them first (see below the template).</translation>
    </message>
    <message>
        <location filename="../../desktop/target_form.py" line="325"/>
        <source>Excel 导入文件需要导出文件夹：请添加选项 folder。</source>
        <translation>An Excel import file needs an export folder: add the option &quot;folder&quot;.</translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="62"/>
        <source>推送平台</source>
        <translation>Delivery platforms</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="71"/>
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="72"/>
        <source>修改…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="73"/>
        <source>填写密钥…</source>
        <translation>Enter secret…</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="74"/>
        <source>测试</source>
        <translation>Test</translation>
    </message>
    <message>
        <location filename="../../desktop/target_work.py" line="87"/>
        <location filename="../../desktop/targets_dialog.py" line="75"/>
        <location filename="../../desktop/targets_dialog.py" line="329"/>
        <source>确认已上传</source>
        <translation>Confirm uploaded</translation>
    </message>
    <message>
        <location filename="../../desktop/target_work.py" line="88"/>
        <source>上传了哪个导入文件？</source>
        <translation>Which import file was uploaded?</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="76"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="81"/>
        <source>已把 Excel 导入文件上传到平台后点这里，其中的记录标记为已送达</source>
        <translation>Click after uploading the Excel import file to the platform; its records are marked delivered</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="182"/>
        <source>发一条测试消息，看平台怎么回复</source>
        <translation>Send a test message and see how the platform replies</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="117"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="180"/>
        <source>用样例记录在浏览器中试填表单，不会提交</source>
        <translation>Fill the form in the browser with a sample record, without submitting</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="187"/>
        <source>还没有推送平台。点“添加…”配置第一个平台。</source>
        <translation>No delivery platforms yet. Click &quot;Add…&quot; to set up the first one.</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="227"/>
        <source>已保存“{name}”。下一步：点“填写密钥…”填写{what}。</source>
        <translation>Saved &quot;{name}&quot;. Next: click &quot;Enter secret…&quot; to enter {what}.</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="233"/>
        <source>已保存“{name}”。可以点“测试”看看平台是否回复。</source>
        <translation>Saved &quot;{name}&quot;. Click &quot;Test&quot; to see whether the platform replies.</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="254"/>
        <source>“{name}”的密钥已保存到系统钥匙串。</source>
        <translation>The secret for &quot;{name}&quot; is saved in the system keychain.</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="271"/>
        <source>正在测试“{name}”…</source>
        <translation>Testing &quot;{name}&quot;…</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="289"/>
        <source>✔ “{name}”测试成功。平台回复：{message}</source>
        <translation>✔ &quot;{name}&quot; test passed. Platform reply: {message}</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="290"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="294"/>
        <source>✖ “{name}”测试没有通过：{message}</source>
        <translation>✖ &quot;{name}&quot; test failed: {message}</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="304"/>
        <source>✖ 测试时出错：{message}</source>
        <translation>✖ Error while testing: {message}</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="321"/>
        <source>“{name}”没有待上传的导入文件。</source>
        <translation>&quot;{name}&quot; has no import file waiting to be uploaded.</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="331"/>
        <source>确认已把导入文件“{file}”上传到“{name}”了吗？其中 {n} 条记录将标记为已送达，之后的记录会写进新的导入文件。</source>
        <translation>Confirm that import file &quot;{file}&quot; was uploaded to &quot;{name}&quot;? Its {n} records will be marked delivered; later records go into a new import file.</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="338"/>
        <source>正在确认…</source>
        <translation>Confirming…</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="354"/>
        <source>已确认“{file}”已上传：{n} 条记录标记为{state}。</source>
        <translation>Confirmed &quot;{file}&quot; uploaded: {n} records marked {state}.</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="366"/>
        <source>确认没有完成：{error}</source>
        <translation>Confirmation did not finish: {error}</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="379"/>
        <source>删除推送平台</source>
        <translation>Delete delivery platform</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="381"/>
        <source>确定删除“{name}”吗？还没发出的推送将取消，已送达的记录不受影响；它的密钥也会从钥匙串中删除。</source>
        <translation>Delete &quot;{name}&quot;? Deliveries not yet sent are cancelled; delivered records are unaffected; its secret is removed from the keychain.</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_dialog.py" line="387"/>
        <source>已删除“{name}”。</source>
        <translation>Deleted &quot;{name}&quot;.</translation>
    </message>
</context>
<context>
    <name>TargetsTable</name>
    <message>
        <location filename="../../desktop/targets_table.py" line="32"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="33"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="34"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="35"/>
        <source>待发送</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="36"/>
        <source>已送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="37"/>
        <source>待确认</source>
        <translation>To confirm</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="38"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="61"/>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="63"/>
        <location filename="../../desktop/targets_table.py" line="119"/>
        <source>需要处理：{why}</source>
        <translation>Needs attention: {why}</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="65"/>
        <source>正常（⚠ 明文 http）</source>
        <translation>OK (⚠ plain http)</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="67"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="107"/>
        <source>类型：{kind}</source>
        <translation>Type: {kind}</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="109"/>
        <source>接口地址：{url}</source>
        <translation>Endpoint: {url}</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="111"/>
        <source>表单：{forms}</source>
        <translation>Forms: {forms}</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="111"/>
        <location filename="../../desktop/targets_table.py" line="112"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="112"/>
        <source>支部：{branches}</source>
        <translation>Branches: {branches}</translation>
    </message>
    <message>
        <location filename="../../desktop/targets_table.py" line="114"/>
        <source>密钥只发往：{where}</source>
        <translation>Secrets go only to: {where}</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="53"/>
        <source>作废记录</source>
        <translation>Void record</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="54"/>
        <source>作废后这条记录不再计入统计，但会保留备查。请写明作废原因：</source>
        <translation>A void record no longer counts, but it is kept for reference. Please give the reason:</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="55"/>
        <source>重复录入</source>
        <translation>Entered twice</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="55"/>
        <source>选错了支部</source>
        <translation>Wrong branch chosen</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="55"/>
        <source>选错了表单</source>
        <translation>Wrong form chosen</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="55"/>
        <source>会议没有实际召开</source>
        <translation>The meeting did not take place</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="56"/>
        <source>作废</source>
        <translation>Void</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <location filename="../../desktop/words.py" line="18"/>
        <source>待发送</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../desktop/words.py" line="19"/>
        <source>发送中</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../desktop/words.py" line="20"/>
        <source>已送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location filename="../../desktop/words.py" line="21"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../desktop/words.py" line="22"/>
        <source>可能已发送，请确认</source>
        <translation>May have been sent, please confirm</translation>
    </message>
    <message>
        <location filename="../../desktop/words.py" line="23"/>
        <source>待上传导入文件</source>
        <translation>Waiting for upload</translation>
    </message>
    <message>
        <location filename="../../desktop/words.py" line="24"/>
        <source>待录入</source>
        <translation>To enter by hand</translation>
    </message>
    <message>
        <location filename="../../desktop/words.py" line="25"/>
        <source>已被更正取代</source>
        <translation>Replaced by a correction</translation>
    </message>
    <message>
        <location filename="../../desktop/words.py" line="26"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>_ReasonDialog</name>
    <message>
        <location filename="../../desktop/editor/void_dialog.py" line="29"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>_WhenWidget</name>
    <message>
        <location filename="../../desktop/editor/date_widgets.py" line="28"/>
        <source>勾选后填写；不填写请取消勾选</source>
        <translation>Tick to fill in; untick to leave empty</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/date_widgets.py" line="34"/>
        <source>未填写</source>
        <translation>Not filled in</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../desktop/app.py" line="188"/>
        <source>无法在数据文件夹里写入日志：%1
请检查文件夹是否可以写入（U盘是否写保护）。</source>
        <translation>Cannot write the log in the data folder: %1
Check that the folder is writable (is the USB stick write-protected?).</translation>
    </message>
</context>
<context>
    <name>data_key</name>
    <message>
        <location filename="../../desktop/data_key.py" line="22"/>
        <source>这台电脑没有系统钥匙串。请为数据设置一个口令（至少 8 个字符），以后每次打开时输入：</source>
        <translation>This computer has no system keyring. Set a passphrase for the data (at least 8 characters); you will type it each time Yici opens:</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="27"/>
        <source>请输入这个数据文件夹的口令：</source>
        <translation>Type this data folder&apos;s passphrase:</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="29"/>
        <location filename="../../desktop/data_key.py" line="36"/>
        <location filename="../../desktop/data_key.py" line="43"/>
        <location filename="../../desktop/data_key.py" line="152"/>
        <source>数据口令</source>
        <translation>Data passphrase</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="37"/>
        <location filename="../../desktop/data_key.py" line="182"/>
        <source>请再输入一次口令：</source>
        <translation>Type the passphrase again:</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="44"/>
        <source>两次输入的口令不一样，请重新设置。</source>
        <translation>The two passphrases differ; please set it again.</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="60"/>
        <source>恢复密钥</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="62"/>
        <source>数据已加密。这是这个数据文件夹的恢复密钥，请打印或抄写下来，放在安全的地方：</source>
        <translation>The data is encrypted. This is the data folder&apos;s recovery key; print it or write it down and keep it somewhere safe:</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="77"/>
        <source>&lt;p&gt;换电脑或系统钥匙串丢失时，凭它打开数据。不要和电脑放在一起，不要发到群里。以后可在命令行用 yici key recovery 再次查看。&lt;/p&gt;&lt;p&gt;抄好或打印好以后请按“我已抄写好”；在那之前，每次打开一次都会再显示它。&lt;/p&gt;</source>
        <translation>&lt;p&gt;It opens the data on a new computer or when the system keyring has lost its key. Do not keep it with the computer and do not send it to a group chat. It can be shown again later on the command line with yici key recovery.&lt;/p&gt;&lt;p&gt;Once it is written down or printed, press “I have written it down”; until then it is shown each time Yici opens.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="85"/>
        <source>我已抄写好</source>
        <translation>I have written it down</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="87"/>
        <source>稍后再抄</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="111"/>
        <source>用恢复密钥打开</source>
        <translation>Open with the recovery key</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="114"/>
        <source>请输入打印的恢复密钥（8 组，每组 4 个字母或数字）：</source>
        <translation>Type the printed recovery key (8 groups of 4 letters or digits):</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="157"/>
        <source>重新输入口令</source>
        <translation>Type the passphrase again</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="159"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="168"/>
        <source>交接文件要用口令加密。请设置一个口令（至少 8 个字符），导入时要输入它：</source>
        <translation>A handover file is encrypted with a passphrase. Set one (at least 8 characters); it is needed to import the file:</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="172"/>
        <source>请输入导出这个交接文件时设置的口令：</source>
        <translation>Type the passphrase set when this handover file was exported:</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="174"/>
        <source>交接文件口令</source>
        <translation>Handover file passphrase</translation>
    </message>
    <message>
        <location filename="../../desktop/data_key.py" line="187"/>
        <source>两次输入的口令不一样，没有导出。</source>
        <translation>The two passphrases differ; nothing was exported.</translation>
    </message>
</context>
<context>
    <name>database_refused</name>
    <message>
        <location filename="../../desktop/database_refused.py" line="29"/>
        <source>数据文件不能打开</source>
        <translation>The data cannot be opened</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="31"/>
        <source>Yici 没有打开这个数据文件夹的数据，也没有新建空的数据来代替它。</source>
        <translation>Yici did not open this data folder&apos;s data, and did not start new empty data in its place.</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="40"/>
        <source>从最近的完好备份恢复（%1）</source>
        <translation>Restore the newest sound backup (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="46"/>
        <source>选择备份文件…</source>
        <translation>Choose a backup file…</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="49"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="62"/>
        <source>选择备份文件</source>
        <translation>Choose a backup file</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="64"/>
        <source>Yici 备份 (*.db)</source>
        <translation>Yici backups (*.db)</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="82"/>
        <source>已从备份恢复：%1。</source>
        <translation>Restored from the backup %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="84"/>
        <source>原来位置上的文件没有删除，已移到：%1</source>
        <translation>The file that was there was not deleted; it was moved to: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="87"/>
        <source>已恢复</source>
        <translation>Restored</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="97"/>
        <source>数据文件已损坏</source>
        <translation>The data file is damaged</translation>
    </message>
    <message>
        <location filename="../../desktop/database_refused.py" line="98"/>
        <source>检查发现这个数据文件夹的数据文件已损坏。为免覆盖完好的备份，今天没有备份，原有的备份都保留着。请先不要继续录入：关闭 Yici，再打开时按提示从备份恢复，或联系技术人员。</source>
        <translation>A check found this data folder&apos;s data file damaged. So as not to overwrite good backups, no backup was made today; all earlier backups are kept. Please stop entering records: close Yici and restore a backup when it asks at the next start, or contact your IT support.</translation>
    </message>
</context>
<context>
    <name>display</name>
    <message>
        <location filename="../../desktop/editor/display.py" line="34"/>
        <source>{n} 行</source>
        <translation>{n} rows</translation>
    </message>
    <message>
        <location filename="../../desktop/editor/display.py" line="58"/>
        <source>第 {i} 行</source>
        <translation>Row {i}</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../desktop/failures.py" line="86"/>
        <source>磁盘空间已满，刚才这一步没有保存。请删除一些不需要的文件（或清空回收站），腾出空间后再试；正在录入的内容还在窗口里。</source>
        <translation>The disk is full; that step was not saved. Delete some files (or empty the recycle bin) and try again; what you typed is still in the window.</translation>
    </message>
    <message>
        <location filename="../../desktop/failures.py" line="92"/>
        <source>数据文件正被另一个程序占用（可能另开了一个 Yici 窗口）。请关闭其他 Yici 窗口后再试；刚才录入的内容已尽量保存为草稿。</source>
        <translation>The data file is in use by another program (perhaps another Yici window). Close other Yici windows and try again; what you typed has been saved as a draft where possible.</translation>
    </message>
    <message>
        <location filename="../../desktop/failures.py" line="98"/>
        <source>数据文件已损坏，无法读写。请不要删除数据文件夹，联系技术人员从 backups 文件夹里的备份恢复。</source>
        <translation>The data file is damaged. Do not delete the data folder; ask your IT contact to restore it from the backups folder.</translation>
    </message>
    <message>
        <location filename="../../desktop/failures.py" line="103"/>
        <source>这个数据文件是由更新版本的 Yici 创建的。请安装最新版本的 Yici 后再打开。</source>
        <translation>This data file was created by a newer version of Yici. Install the latest Yici to open it.</translation>
    </message>
    <message>
        <location filename="../../desktop/failures.py" line="108"/>
        <source>磁盘空间已满，无法保存。请删除一些不需要的文件，腾出空间后再试；刚才录入的内容在空间足够后会再次保存。</source>
        <translation>The disk is full and nothing can be saved. Free some space and try again; what you typed will be saved once there is room.</translation>
    </message>
    <message>
        <location filename="../../desktop/failures.py" line="114"/>
        <source>电脑内存不足。请关闭其他程序后再试。</source>
        <translation>The computer is low on memory. Close other programs and try again.</translation>
    </message>
    <message>
        <location filename="../../desktop/failures.py" line="56"/>
        <source>Yici 遇到了一个意外的错误。正在录入的内容已尽量保存为草稿。如果问题反复出现，请把下面的详细信息复制发给技术人员。</source>
        <translation>Yici ran into an unexpected error. What you were typing has been saved as a draft where possible. If this keeps happening, copy the details below and send them to your IT contact.</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="253"/>
        <source>无法完成</source>
        <translation>Could not finish</translation>
    </message>
</context>
<context>
    <name>file_results</name>
    <message>
        <location filename="../../desktop/file_results.py" line="51"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>restore_dialog</name>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="184"/>
        <source>用这个备份替换现在的数据吗？
备份：%1</source>
        <translation>Replace the current data with this backup?
Backup: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="187"/>
        <source>现在的数据会先自动备份一份（“恢复前备份”，在 backups 文件夹中），需要时还能从它恢复回来。打开着的记录会先保存并关闭。</source>
        <translation>The current data is backed up first (a &quot;before restore&quot; backup in the backups folder), so it can be restored again if needed. Open records are saved and closed first.</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="192"/>
        <source>恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="193"/>
        <source>从备份恢复</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="204"/>
        <location filename="../../desktop/restore_dialog.py" line="309"/>
        <location filename="../../desktop/restore_dialog.py" line="319"/>
        <source>没有恢复</source>
        <translation>Not restored</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="205"/>
        <source>还有记录窗口没有关闭，数据没有改动。请先保存并关闭记录窗口，再来恢复。</source>
        <translation>A record window is still open; nothing was changed. Save and close the record windows, then restore.</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="219"/>
        <source>正在检查备份并恢复数据……</source>
        <translation>Checking the backup and restoring the data…</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="268"/>
        <source>已从备份恢复数据：%1</source>
        <translation>The data was restored from the backup: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="271"/>
        <source>现在有支部 %1 个，记录 %2 条（其中已定稿 %3 条）。</source>
        <translation>It now holds %1 branches and %2 records (%3 final).</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="278"/>
        <source>恢复前的数据已备份为：%1
位置：%2
如需撤销，可再用“从备份恢复”选择这个备份。</source>
        <translation>The data as it was before is backed up as: %1
Folder: %2
To undo, restore from this backup.</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="287"/>
        <source>原来位置上不能用的数据文件已移到：%1，没有删除。</source>
        <translation>The unusable data file that was there was moved to %1, not deleted.</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="291"/>
        <source>恢复完成</source>
        <translation>Restore done</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="310"/>
        <source>另一个一次程序正在使用这个数据文件夹（可能是另开的一次窗口，或在后台运行的 yici 命令，例如自动同步），现在不能恢复。数据没有任何改动。
请先关闭其他一次窗口、停止 yici 命令，再来恢复。
数据文件夹：%1</source>
        <translation>Another Yici program is using this data folder (another Yici window, or a yici command running in the background such as automatic sync), so it cannot be restored now. Nothing was changed.
Close the other Yici windows and stop yici commands, then restore.
Data folder: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="325"/>
        <source>备份 %1 是用另一台电脑（或另一个数据文件夹）的密钥加密的。要恢复它，需要做这个备份的那个数据文件夹的恢复密钥（当初打印或抄写下来的）。</source>
        <translation>The backup %1 is encrypted with the key of another computer (or another data folder). To restore it you need the recovery key of the data folder that made this backup (the one printed or written down then).</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="333"/>
        <source>刚才输入的恢复密钥与这个备份不符，数据没有改动。请核对后再输入。</source>
        <translation>The recovery key you typed does not fit this backup; nothing was changed. Check it and type it again.</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="337"/>
        <source>请输入恢复密钥（8 组，每组 4 个字母或数字）：</source>
        <translation>Type the recovery key (8 groups of 4 letters or digits):</translation>
    </message>
    <message>
        <location filename="../../desktop/restore_dialog.py" line="339"/>
        <source>用恢复密钥恢复备份</source>
        <translation>Restore a backup with its recovery key</translation>
    </message>
</context>
</TS>
