<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that Qt's qtbase_zh_CN.qm lacks: Qt 6 renamed them (a mnemonic added, a
     new context), so its file dialog showed them in English. Loaded after qtbase_zh_CN by
     desktop/i18n.py; compile with pyside6-lrelease into qtbase_extra_zh_CN.qm. -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>查找范围(&amp;L)：</translation></message>
    <message><source>Files of &amp;type:</source><translation>文件类型(&amp;T)：</translation></message>
    <message><source>Show hidden files</source><translation>显示隐藏文件</translation></message>
    <message><source>Files of type</source><translation>文件类型</translation></message>
    <message><source>List of places</source><translation>位置列表</translation></message>
    <message><source>Confirm Delete</source><translation>确认删除</translation></message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message><source>Folder</source><translation>文件夹</translation></message>
    <message><source>File Folder</source><translation>文件夹</translation></message>
    <message><source>File</source><translation>文件</translation></message>
    <message><source>%1 File</source><translation>%1 文件</translation></message>
    <message><source>Drive</source><translation>驱动器</translation></message>
    <message><source>Unknown</source><translation>未知</translation></message>
    <message><source>Alias</source><translation>别名</translation></message>
    <message><source>Shortcut</source><translation>快捷方式</translation></message>
</context>
</TS>
