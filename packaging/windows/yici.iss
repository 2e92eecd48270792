; Inno Setup 6 script for Yici: installs dist\yici\ with a Start-menu entry and an uninstaller.
;
;   python packaging\build.py --installer        (runs ISCC with the defines below)
;   ISCC /DAppVersion=0.1.0 /DBundleDir=...\dist\yici /DOutputDir=...\dist /DRootDir=... yici.iss
;
; Installs for the current user by default (no administrator needed, as on most township
; laptops): %LOCALAPPDATA%\Programs\Yici. Someone with administrator rights can choose "all
; users" (C:\Program Files\Yici) in the first dialog, or pass /ALLUSERS on the command line.
; The uninstaller removes the program only: the data folder (%LOCALAPPDATA%\Yici, or a yici-data
; folder beside the program) is never touched.

#ifndef AppVersion
  #error Pass /DAppVersion=x.y.z (packaging\build.py does)
#endif
#ifndef RootDir
  #define RootDir AddBackslash(SourcePath) + "..\.."
#endif
#ifndef BundleDir
  #define BundleDir RootDir + "\dist\yici"
#endif
#ifndef OutputDir
  #define OutputDir RootDir + "\dist"
#endif

[Setup]
; AppId identifies Yici to Windows across versions: a newer installer upgrades in place.
; Never change it.
AppId={{6B1F3C2E-58D4-4C8B-9A51-3E7D0F2A9C41}
AppName=一次 Yici
AppVersion={#AppVersion}
AppVerName=一次 Yici {#AppVersion}
AppPublisher=Yici
DefaultDirName={autopf}\Yici
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=yici-{#AppVersion}-windows-x64-setup
SetupIconFile={#RootDir}\packaging\windows\yici.ico
UninstallDisplayIcon={app}\Yici.exe
UninstallDisplayName=一次 Yici
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Chinese Windows gets the Chinese wizard without being asked.
ShowLanguageDialog=auto
; Close a running Yici before replacing its files (an upgrade while it is open).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Simplified Chinese ships with newer Inno Setup 6 releases and is an unofficial add-on in
; older ones: use the compiler's copy, else one placed beside this script (the CI workflow
; fetches it there), else the installer speaks English only.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chinesesimp"; MessagesFile: "{#AddBackslash(SourcePath)}ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole PyInstaller folder. An upgrade first deletes the old _internal (below) so no file
; of the previous version is left to be loaded by mistake.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
; One Start-menu entry, no folder (Windows 10/11 style); uninstall is in Settings > Apps, which
; runs {app}\unins000.exe.
Name: "{autoprograms}\一次 Yici"; Filename: "{app}\Yici.exe"; WorkingDir: "{app}"; Comment: "离线录入一次，联网后送达各个平台"
Name: "{autodesktop}\一次 Yici"; Filename: "{app}\Yici.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\Yici.exe"; Description: "{cm:LaunchProgram,一次 Yici}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself writes beside it; a yici-data folder (portable data) stays.
Type: filesandordirs; Name: "{app}\_internal"
