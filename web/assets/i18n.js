/* i18n.js - every visible string of the web pages, in Turkish (first) and
 * English, and the helpers that put them on the page.
 *
 *   t(key, vars)          the string for key in the current language; {name}
 *                         in it is replaced by vars.name. A key missing in the
 *                         current language falls back to Turkish, then to the
 *                         key itself (so a typo shows on the page, not blank).
 *   tIn(lang, key, vars)  the same in a given language (a report printed in
 *                         its own language whatever the interface's).
 *   currentLang()         'tr' or 'en' (localStorage 'raportai.lang', default 'tr').
 *   setLang(lang)         stores it, sets <html lang>, re-applies the page, and
 *                         fires the window event 'raportai:lang' so pages can
 *                         re-render what they built with t().
 *   applyI18n(root)       translates root and everything under it:
 *                           data-i18n="key"              textContent
 *                           data-i18n-vars='{"n": 3}'    variables for data-i18n
 *                           data-i18n-placeholder="key"  placeholder attribute
 *                           data-i18n-title="key"        title attribute
 *                           data-i18n-aria-label="key"   aria-label attribute
 *                         <title data-i18n="..."> works too.
 *   formatDate(iso), formatDateTime(iso)   dates in the current language.
 *   LANGS                 the interface languages.
 *
 * Adding a page: put its strings in BOTH dictionaries below under a prefix of
 * its own (tests/browser/test_i18n.mjs checks that tr and en have the same
 * keys and that every data-i18n key used in web/*.html exists). */

import { CORPORATE_STRINGS } from './i18n-corporate.js';
import { MACRO_STRINGS } from './i18n-macros.js';

export const LANGS = ['tr', 'en'];
const STORAGE_KEY = 'raportai.lang';

const tr = {
    'app.name': 'RaportAI',
    'app.tagline': 'Yapay zekâ destekli radyoloji raporlama',
    'common.skip': 'Ana içeriğe geç',
    'common.language': 'Dil',
    'common.loading': 'Yükleniyor…',
    'common.save': 'Kaydet',
    'common.cancel': 'Vazgeç',
    'common.delete': 'Sil',
    'common.edit': 'Düzenle',
    'common.view': 'Görüntüle',
    'common.open': 'Aç',
    'common.close': 'Kapat',
    'common.search': 'Ara',
    'common.clear': 'Temizle',
    'common.none': '—',
    'common.prev': 'Önceki',
    'common.next': 'Sonraki',
    'common.pageOf': 'Sayfa {page} / {pages}',
    'common.required': 'zorunlu',
    'common.footer': 'RaportAI — kendi sunucunuzda çalışır; hasta verisi kurumunuzda kalır.',

    'langName.tr': 'Türkçe',
    'langName.en': 'İngilizce',

    'area.user': 'Bireysel',
    'area.corporate': 'Kurumsal',
    'area.admin': 'Yönetim',
    'area.accounting': 'Muhasebe',

    'nav.main': 'Ana menü',
    'nav.dashboard': 'Panel',
    'nav.reporting': 'AI Raporlama',
    'nav.templates': 'Şablonlar',
    'nav.history': 'Rapor Geçmişi',
    'nav.organization': 'Kurum',
    'nav.docs': 'Belgeler',

    'user.menu': 'Hesap menüsü',
    'user.organization': 'Kurum: {name}',
    'user.signOut': 'Çıkış yap',
    'user.signingOut': 'Çıkış yapılıyor…',

    'role.individual': 'Bireysel radyolog',
    'role.manager': 'Kurum yöneticisi',
    'role.radiologist': 'Radyolog',
    'role.doctor': 'Doktor',
    'role.technical': 'Teknik personel',
    'role.admin': 'Platform yöneticisi',
    'role.accounting': 'Muhasebe',

    'status.pending': 'Sırada',
    'status.processing': 'İşleniyor',
    'status.completed': 'Tamamlandı',
    'status.failed': 'Başarısız',

    'err.network': 'Sunucuya ulaşılamadı. Bağlantınızı kontrol edip yeniden deneyin.',
    'err.timeout': 'Sunucu zamanında yanıt vermedi. Yeniden deneyin.',
    'err.generic': 'İşlem tamamlanamadı.',
    'err.INVALID_CREDENTIALS': 'Giriş yapılamadı: e-posta, şifre ya da giriş sayfası hatalı.',
    'err.LOGIN_LOCKED': 'Çok fazla başarısız deneme. {seconds} saniye sonra yeniden deneyin.',
    'err.UNAUTHENTICATED': 'Oturumunuz sona erdi. Lütfen yeniden giriş yapın.',
    'err.FORBIDDEN': 'Bu işlem için yetkiniz yok.',
    'err.CSRF_FAILED': 'Güvenlik doğrulaması başarısız oldu. Sayfayı yenileyip yeniden deneyin.',
    'err.NOT_FOUND': 'Kayıt bulunamadı.',
    'err.INSUFFICIENT_CREDITS': 'Yeterli rapor krediniz yok.',
    'err.RATE_LIMIT': 'Çok fazla istek gönderildi. Biraz bekleyip yeniden deneyin.',
    'err.DUPLICATE_SUBMISSION': 'Bu ses kaydı kısa süre önce zaten gönderildi.',
    'err.AUDIO_TOO_LARGE': 'Ses dosyası çok büyük.',
    'err.AUDIO_TOO_LONG': 'Kayıt, tetkik başına izin verilen süreden uzun.',
    'err.LIMIT_REACHED': 'İzin verilen sayıya ulaşıldı; önce birini silin.',
    'err.PAYLOAD_TOO_LARGE': 'Gönderilen veri çok büyük.',
    'err.INTERNAL': 'Sunucuda beklenmeyen bir hata oluştu.',
    'err.UNAVAILABLE': 'Hizmet şu anda kullanılamıyor. Biraz sonra yeniden deneyin.',

    'landing.title': 'Dikte edin, RaportAI yapılandırsın',
    'landing.lead': 'Radyoloji diktelerini tetkikin şablonuna uygun, yapılandırılmış raporlara dönüştürür. Kendi sunucunuzda çalışır; hasta verisi kurumunuzda kalır.',
    'landing.signins': 'Giriş sayfaları',
    'landing.user.title': 'Bireysel radyolog',
    'landing.user.text': 'Panel, AI raporlama, şablonlar ve rapor geçmişi.',
    'landing.corporate.title': 'Kurumsal giriş',
    'landing.corporate.text': 'Hastane, görüntüleme merkezi ve teleradyoloji ekipleri: üyeler, kullanım, API anahtarları.',
    'landing.admin.title': 'Platform yönetimi',
    'landing.admin.text': 'Kurumlar, kullanıcılar, işler ve sistem durumu.',
    'landing.accounting.title': 'Muhasebe',
    'landing.accounting.text': 'Krediler, hesap hareketleri ve kullanım dökümleri.',
    'landing.more': 'Diğer',
    'landing.register.title': 'Kurum kaydı',
    'landing.register.text': 'Kurumunuzu kaydedin; platform yöneticisi onayladıktan sonra giriş yapabilirsiniz.',
    'landing.docs.title': 'Belgeler',
    'landing.docs.text': 'Ürün ve entegrasyon kılavuzu, External API.',

    'login.user.title': 'Bireysel giriş',
    'login.user.lead': 'Bireysel radyolog hesabınızla giriş yapın.',
    'login.corporate.title': 'Kurumsal giriş',
    'login.corporate.lead': 'Kurum üyeleri (yönetici, radyolog, doktor, teknik personel) buradan giriş yapar.',
    'login.admin.title': 'Platform yöneticisi girişi',
    'login.admin.lead': 'Yalnızca platform yöneticileri içindir.',
    'login.accounting.title': 'Muhasebe girişi',
    'login.accounting.lead': 'Yalnızca muhasebe ekibi içindir.',
    'login.email': 'E-posta',
    'login.password': 'Şifre',
    'login.submit': 'Giriş yap',
    'login.submitting': 'Giriş yapılıyor…',
    'login.success': 'Giriş başarılı, yönlendiriliyorsunuz…',
    'login.missing': 'E-posta ve şifre gereklidir.',
    'login.home': 'Ana sayfa',
    'login.register': 'Kurumunuz kayıtlı değil mi? Kurum kaydı',

    'reg.title': 'Kurum kaydı',
    'reg.lead': 'Kurumunuzu ve yöneticisini kaydedin. Bir platform yöneticisi onaylayana kadar kimse giriş yapamaz.',
    'reg.orgName': 'Kurum adı',
    'reg.orgType': 'Kurum türü',
    'reg.type.hospital': 'Hastane',
    'reg.type.imaging_center': 'Görüntüleme merkezi',
    'reg.type.teleradiology': 'Teleradyoloji',
    'reg.name': 'Yöneticinin adı soyadı',
    'reg.email': 'Yöneticinin e-postası',
    'reg.password': 'Şifre',
    'reg.passwordHint': 'En az 8 karakter.',
    'reg.password2': 'Şifre (tekrar)',
    'reg.mismatch': 'Şifreler aynı değil.',
    'reg.tooShort': 'Şifre en az 8 karakter olmalı.',
    'reg.missing': 'Bu alan zorunludur.',
    'reg.submit': 'Kaydı gönder',
    'reg.submitting': 'Gönderiliyor…',
    'reg.done.title': 'Kaydınız alındı, onay bekliyor',
    'reg.done.text': 'Bir platform yöneticisi kurumunuzu onayladığında kurumsal giriş sayfasından giriş yapabilirsiniz.',
    'reg.toLogin': 'Kurumsal giriş sayfası',

    'dash.title': 'Panel',
    'dash.lead': 'Son çalışmalarınız, krediniz ve hızlı başlangıç.',
    'dash.credits': 'Kalan kredi',
    'dash.today': 'Bugünkü raporlar',
    'dash.week': 'Bu haftaki raporlar',
    'dash.inProgress': 'İşlenen işler',
    'dash.quick': 'Hızlı başlangıç',
    'dash.quick.report': 'Yeni AI rapor',
    'dash.quick.reportText': 'Dikte kaydedin, ses dosyası yükleyin veya bulguları yazın.',
    'dash.quick.templates': 'Şablonlar',
    'dash.quick.templatesText': 'Kütüphane şablonları ve kendi şablonlarınız.',
    'dash.quick.history': 'Rapor geçmişi',
    'dash.quick.historyText': 'Kayıtlı raporları arayın, açın, dışa aktarın.',
    'dash.recent': 'Son raporlar',
    'dash.noRecent': 'Henüz kayıtlı rapor yok.',

    'col.date': 'Tarih',
    'col.patient': 'Hasta',
    'col.patientId': 'Hasta no',
    'col.accession': 'Erişim no',
    'col.exam': 'Tetkik',
    'col.modality': 'Modalite',
    'col.revision': 'Sürüm',
    'col.author': 'Yazan',
    'col.actions': 'İşlemler',
    'col.name': 'Ad',
    'col.format': 'Biçim',
    'col.bodyPart': 'Bölge',
    'col.language': 'Dil',
    'col.owner': 'Kaynak',
    'col.code': 'SUT kodu',
    'col.template': 'Şablon',

    'sec.clinical': 'Klinik bilgi',
    'sec.technique': 'Teknik',
    'sec.comparison': 'Karşılaştırma',
    'sec.findings': 'Bulgular',
    'sec.conclusion': 'Sonuç',
    'sec.impression': 'İzlenim',

    'rep.title': 'AI Raporlama',
    'rep.lead': 'Tetkiki seçin, dikte edin ya da bulguları yazın; RaportAI raporu yapılandırsın, siz gözden geçirip kaydedin.',
    'rep.step1': '1. Tetkik ve şablon',
    'rep.search': 'Tetkik ara (SUT kodu veya ad)',
    'rep.searchHint': 'Örn. 804200 veya “beyin”. Listeden seçin ya da 5–7 haneli kodu yazın.',
    'rep.searching': 'Aranıyor…',
    'rep.results': '{n} tetkik bulundu.',
    'rep.resultsLabel': 'Tetkik sonuçları',
    'rep.noResults': 'Eşleşen tetkik yok.',
    'rep.noName': '(adı kayıtlı değil)',
    'rep.noTemplate': 'eşleşen şablon yok',
    'rep.selected': 'Seçilen tetkik',
    'rep.selectedCode': 'Katalogda olmayan kod: {code}',
    'rep.template': 'Şablon',
    'rep.templateAuto': 'Otomatik (tetkike göre)',
    'rep.templateAutoNamed': 'Otomatik: {name}',
    'rep.templateLibrary': 'Kütüphane',
    'rep.templateOwn': 'Şablonlarım',
    'rep.step2': '2. Dikte',
    'rep.source': 'Giriş yöntemi',
    'rep.source.record': 'Mikrofonla kaydet',
    'rep.source.file': 'Ses dosyası yükle',
    'rep.source.text': 'Bulguları yaz',
    'rep.record': 'Kaydı başlat',
    'rep.stop': 'Durdur',
    'rep.discard': 'Kaydı sil',
    'rep.recording': 'Kaydediliyor…',
    'rep.recorded': 'Kayıt hazır: {seconds} saniye.',
    'rep.duration': 'Kayıt süresi',
    'rep.playback': 'Kaydı dinle',
    'rep.micDenied': 'Mikrofona erişilemedi: {reason}',
    'rep.noRecorder': 'Bu tarayıcı ses kaydını desteklemiyor; ses dosyası yükleyin veya bulguları yazın.',
    'rep.needsHttps': 'Tarayıcılar mikrofonu yalnızca HTTPS ile (ya da bu bilgisayardan) açılan sayfalara verir; ses dosyası yükleyin veya bulguları yazın.',
    'rep.file': 'Ses dosyası',
    'rep.fileHint': 'WAV, MP3, M4A, OGG veya WebM; en fazla 50 MB.',
    'rep.text': 'Bulgular / dikte metni',
    'rep.textHint': 'Başlık da yazabilirsiniz: “Bulgular: … Sonuç: …”.',
    'rep.patientName': 'Hasta adı',
    'rep.patientId': 'Hasta no',
    'rep.accession': 'Erişim (accession) no',
    'rep.inputLang': 'Dikte dili',
    'rep.outputLang': 'Rapor dili',
    'rep.langHint': 'Sesli dikte şu an İngilizce tanınır; Türkçe için bulguları yazın.',
    'rep.step3': '3. Raporu oluştur',
    'rep.submit': 'Raporu oluştur',
    'rep.submitting': 'Gönderiliyor…',
    'rep.needExam': 'Önce bir tetkik seçin ya da geçerli bir SUT kodu (5–7 hane) yazın.',
    'rep.needInput': 'Bir kayıt yapın, bir ses dosyası seçin ya da bulguları yazın.',
    'rep.stillRecording': 'Önce kaydı durdurun.',
    'rep.progress': 'İşlem durumu',
    'rep.jobStarted': 'İş kuyruğa alındı. Tahmini süre: {seconds} sn. Kalan kredi: {credits}.',
    'rep.elapsed': 'Geçen süre: {seconds} sn',
    'rep.pollGaveUp': 'İş beklenenden uzun sürüyor.',
    'rep.keepWaiting': 'Beklemeye devam et',
    'rep.failed': 'Rapor oluşturulamadı: {message}',
    'rep.step4': '4. Gözden geçir ve kaydet',
    'rep.reviewLead': 'Bölümleri gözden geçirip düzenleyin, ardından kaydedin.',
    'rep.transcript': 'Tanınan metin',
    'rep.templateUsed': 'Şablon: {how}',
    'rep.used.custom': 'seçtiğiniz şablon',
    'rep.used.matched': 'tetkike eşleşen şablon',
    'rep.used.default': 'varsayılan düzen',
    'rep.save': 'Raporu kaydet',
    'rep.saving': 'Kaydediliyor…',
    'rep.saved': 'Rapor kaydedildi (sürüm {revision}).',
    'rep.openReport': 'Raporu aç',
    'rep.newReport': 'Yeni rapor',
    'rep.empty': 'En az bir bölüm dolu olmalı.',

    'export.title': 'Dışa aktar',
    'export.pdf': 'PDF',
    'export.docx': 'Word (DOCX)',
    'export.rtf': 'RTF',
    'export.txt': 'Metin (TXT)',
    'export.print': 'Yazdırma görünümü',

    'tpl.title': 'Şablonlar',
    'tpl.lead': 'Kütüphane şablonlarını inceleyin; kendi şablonlarınızı oluşturun, düzenleyin, silin.',
    'tpl.list': 'Şablon listesi',
    'tpl.filter': 'Listede ara',
    'tpl.new': 'Yeni şablon',
    'tpl.none': 'Gösterilecek şablon yok.',
    'tpl.owner.library': 'Kütüphane',
    'tpl.owner.own': 'Benim',
    'tpl.viewTitle': 'Şablon: {name}',
    'tpl.copy': 'Kopyasından yeni şablon',
    'tpl.copyName': '{name} (kopya)',
    'tpl.editorNew': 'Yeni şablon',
    'tpl.editorEdit': 'Şablonu düzenle: {name}',
    'tpl.name': 'Şablon adı',
    'tpl.format': 'Biçim',
    'tpl.modality': 'Modalite',
    'tpl.bodyPart': 'Vücut bölgesi',
    'tpl.bodyPartHint': 'Örn. brain, chest, abdomen, lumbar_spine.',
    'tpl.language': 'Dil',
    'tpl.content': 'İçerik',
    'tpl.file': 'Dosyadan yükle (.txt, .rtf, .html)',
    'tpl.fileLoaded': '“{name}” dosyası yüklendi.',
    'tpl.fileError': 'Dosya okunamadı.',
    'tpl.fileTooLarge': 'Dosya çok büyük (en fazla 512 KB).',
    'tpl.placeholders': 'Yer tutucular',
    'tpl.placeholdersHint': 'Şablonda en az bir yer tutucu olmalı; bunların dışında {{…}} kullanılamaz. İmlecin olduğu yere eklemek için tıklayın. HTML ve RTF şablonlarda yalnızca biçimlendirme olabilir (betik, bağlantı, stil, alan veya nesne olmaz).',
    'tpl.saved': 'Şablon kaydedildi.',
    'tpl.deleted': 'Şablon silindi.',
    'tpl.confirmTitle': 'Şablon silinsin mi?',
    'tpl.confirmDelete': '“{name}” şablonu silinecek. Bu işlem geri alınamaz.',
    'tpl.missingName': 'Şablon adı gerekli.',
    'tpl.missingContent': 'İçerik gerekli.',
    'tpl.anyModality': '(yok)',
    'tpl.importMrrt': 'MRRT şablonu içe aktar',
    'tpl.importMrrtHint': 'RSNA RadReport / IHE MRRT biçimindeki bir HTML şablonu kendi şablonunuz olarak ekler.',
    'tpl.imported': '“{name}” içe aktarıldı.',
    'ph.BULGULAR': 'Bulgular',
    'ph.SONUC': 'Sonuç',
    'ph.IZLENIM': 'İzlenim',
    'ph.TEKNIK': 'Teknik',
    'ph.KLINIK': 'Klinik bilgi',
    'ph.KARSILASTIRMA': 'Karşılaştırma',

    'hist.title': 'Rapor geçmişi',
    'hist.lead': 'Kayıtlı raporlarınızı arayın, açın ve dışa aktarın.',
    'hist.searchTitle': 'Arama',
    'hist.q': 'Serbest metin',
    'hist.patient': 'Hasta (ad veya no)',
    'hist.accession': 'Erişim no',
    'hist.exam': 'Tetkik (kod veya ad)',
    'hist.modality': 'Modalite',
    'hist.any': 'Tümü',
    'hist.from': 'Başlangıç tarihi',
    'hist.to': 'Bitiş tarihi',
    'hist.search': 'Ara',
    'hist.reset': 'Temizle',
    'hist.results': 'Sonuçlar',
    'hist.none': 'Aramaya uyan rapor yok.',
    'hist.count': '{total} rapor',

    'report.title': 'Rapor',
    'report.details': 'Rapor bilgileri',
    'report.created': 'Oluşturulma',
    'report.updated': 'Son güncelleme',
    'report.revisionN': 'Sürüm {revision}',
    'report.viewingOld': 'Eski bir sürümü görüntülüyorsunuz (sürüm {revision}). Kaydederseniz bu içerik yeni sürüm olur.',
    'report.toLatest': 'Güncel sürüme dön',
    'report.sections': 'Rapor bölümleri',
    'report.save': 'Yeni sürüm olarak kaydet',
    'report.saving': 'Kaydediliyor…',
    'report.saved': 'Kaydedildi: sürüm {revision}.',
    'report.revisions': 'Sürümler',
    'report.current': 'güncel',
    'report.viewing': 'görüntüleniyor',
    'report.missingId': 'Açılacak rapor belirtilmedi.',
    'report.back': 'Rapor geçmişine dön',

    'print.title': 'Yazdırma görünümü',
    'print.print': 'Yazdır',
    'print.back': 'Rapora dön',
    'print.footer': 'RaportAI ile hazırlanmıştır · Rapor {id} · sürüm {revision}'
};

const en = {
    'app.name': 'RaportAI',
    'app.tagline': 'AI-assisted radiology reporting',
    'common.skip': 'Skip to main content',
    'common.language': 'Language',
    'common.loading': 'Loading…',
    'common.save': 'Save',
    'common.cancel': 'Cancel',
    'common.delete': 'Delete',
    'common.edit': 'Edit',
    'common.view': 'View',
    'common.open': 'Open',
    'common.close': 'Close',
    'common.search': 'Search',
    'common.clear': 'Clear',
    'common.none': '—',
    'common.prev': 'Previous',
    'common.next': 'Next',
    'common.pageOf': 'Page {page} of {pages}',
    'common.required': 'required',
    'common.footer': 'RaportAI — runs on your own server; patient data stays in your institution.',

    'langName.tr': 'Turkish',
    'langName.en': 'English',

    'area.user': 'Individual',
    'area.corporate': 'Corporate',
    'area.admin': 'Administration',
    'area.accounting': 'Accounting',

    'nav.main': 'Main menu',
    'nav.dashboard': 'Dashboard',
    'nav.reporting': 'AI Reporting',
    'nav.templates': 'Templates',
    'nav.history': 'Report History',
    'nav.organization': 'Organization',
    'nav.docs': 'Documentation',

    'user.menu': 'Account menu',
    'user.organization': 'Organization: {name}',
    'user.signOut': 'Sign out',
    'user.signingOut': 'Signing out…',

    'role.individual': 'Individual radiologist',
    'role.manager': 'Organization manager',
    'role.radiologist': 'Radiologist',
    'role.doctor': 'Doctor',
    'role.technical': 'Technical staff',
    'role.admin': 'Platform administrator',
    'role.accounting': 'Accounting',

    'status.pending': 'Pending',
    'status.processing': 'Processing',
    'status.completed': 'Completed',
    'status.failed': 'Failed',

    'err.network': 'The server could not be reached. Check your connection and try again.',
    'err.timeout': 'The server did not answer in time. Try again.',
    'err.generic': 'The request could not be completed.',
    'err.INVALID_CREDENTIALS': 'Sign-in failed: wrong e-mail, password or sign-in page.',
    'err.LOGIN_LOCKED': 'Too many failed attempts. Try again in {seconds} seconds.',
    'err.UNAUTHENTICATED': 'Your session has ended. Please sign in again.',
    'err.FORBIDDEN': 'You are not allowed to do this.',
    'err.CSRF_FAILED': 'The security check failed. Reload the page and try again.',
    'err.NOT_FOUND': 'Not found.',
    'err.INSUFFICIENT_CREDITS': 'You do not have enough report credits.',
    'err.RATE_LIMIT': 'Too many requests. Wait a moment and try again.',
    'err.DUPLICATE_SUBMISSION': 'This recording was already submitted a short while ago.',
    'err.AUDIO_TOO_LARGE': 'The audio file is too large.',
    'err.AUDIO_TOO_LONG': 'The recording is longer than allowed per exam.',
    'err.LIMIT_REACHED': 'The most allowed already exist; remove one first.',
    'err.PAYLOAD_TOO_LARGE': 'What was sent is too large.',
    'err.INTERNAL': 'An unexpected error occurred on the server.',
    'err.UNAVAILABLE': 'The service is unavailable right now. Try again shortly.',

    'landing.title': 'Dictate, and RaportAI structures it',
    'landing.lead': 'Turns radiology dictations into structured reports that follow the exam’s template. Runs on your own server; patient data stays in your institution.',
    'landing.signins': 'Sign-in pages',
    'landing.user.title': 'Individual radiologist',
    'landing.user.text': 'Dashboard, AI reporting, templates and report history.',
    'landing.corporate.title': 'Corporate sign-in',
    'landing.corporate.text': 'Hospitals, imaging centers and teleradiology teams: members, usage, API keys.',
    'landing.admin.title': 'Platform administration',
    'landing.admin.text': 'Organizations, users, jobs and system health.',
    'landing.accounting.title': 'Accounting',
    'landing.accounting.text': 'Credits, ledger and usage exports.',
    'landing.more': 'More',
    'landing.register.title': 'Register an organization',
    'landing.register.text': 'Register your organization; you can sign in once a platform administrator approves it.',
    'landing.docs.title': 'Documentation',
    'landing.docs.text': 'Product and integration guide, External API.',

    'login.user.title': 'Individual sign-in',
    'login.user.lead': 'Sign in with your individual radiologist account.',
    'login.corporate.title': 'Corporate sign-in',
    'login.corporate.lead': 'Organization members (managers, radiologists, doctors, technical staff) sign in here.',
    'login.admin.title': 'Platform administrator sign-in',
    'login.admin.lead': 'For platform administrators only.',
    'login.accounting.title': 'Accounting sign-in',
    'login.accounting.lead': 'For the accounting team only.',
    'login.email': 'E-mail',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.submitting': 'Signing in…',
    'login.success': 'Signed in, taking you there…',
    'login.missing': 'E-mail and password are required.',
    'login.home': 'Home',
    'login.register': 'Organization not registered yet? Register it',

    'reg.title': 'Register an organization',
    'reg.lead': 'Register your organization and its manager. Nobody can sign in until a platform administrator approves it.',
    'reg.orgName': 'Organization name',
    'reg.orgType': 'Organization type',
    'reg.type.hospital': 'Hospital',
    'reg.type.imaging_center': 'Imaging center',
    'reg.type.teleradiology': 'Teleradiology',
    'reg.name': 'Manager’s full name',
    'reg.email': 'Manager’s e-mail',
    'reg.password': 'Password',
    'reg.passwordHint': 'At least 8 characters.',
    'reg.password2': 'Password (again)',
    'reg.mismatch': 'The passwords differ.',
    'reg.tooShort': 'The password must have at least 8 characters.',
    'reg.missing': 'This field is required.',
    'reg.submit': 'Send registration',
    'reg.submitting': 'Sending…',
    'reg.done.title': 'Registration received, waiting for approval',
    'reg.done.text': 'Once a platform administrator approves your organization, sign in on the corporate sign-in page.',
    'reg.toLogin': 'Corporate sign-in page',

    'dash.title': 'Dashboard',
    'dash.lead': 'Your recent work, your credits and quick start.',
    'dash.credits': 'Remaining credits',
    'dash.today': 'Reports today',
    'dash.week': 'Reports this week',
    'dash.inProgress': 'Jobs in progress',
    'dash.quick': 'Quick start',
    'dash.quick.report': 'New AI report',
    'dash.quick.reportText': 'Record a dictation, upload an audio file or type the findings.',
    'dash.quick.templates': 'Templates',
    'dash.quick.templatesText': 'Library templates and your own.',
    'dash.quick.history': 'Report history',
    'dash.quick.historyText': 'Search, open and export saved reports.',
    'dash.recent': 'Recent reports',
    'dash.noRecent': 'No saved reports yet.',

    'col.date': 'Date',
    'col.patient': 'Patient',
    'col.patientId': 'Patient ID',
    'col.accession': 'Accession',
    'col.exam': 'Exam',
    'col.modality': 'Modality',
    'col.revision': 'Revision',
    'col.author': 'Author',
    'col.actions': 'Actions',
    'col.name': 'Name',
    'col.format': 'Format',
    'col.bodyPart': 'Body part',
    'col.language': 'Language',
    'col.owner': 'Source',
    'col.code': 'SUT code',
    'col.template': 'Template',

    'sec.clinical': 'Clinical information',
    'sec.technique': 'Technique',
    'sec.comparison': 'Comparison',
    'sec.findings': 'Findings',
    'sec.conclusion': 'Conclusion',
    'sec.impression': 'Impression',

    'rep.title': 'AI Reporting',
    'rep.lead': 'Pick the exam, dictate or type the findings; RaportAI structures the report, you review and save it.',
    'rep.step1': '1. Exam and template',
    'rep.search': 'Search exams (SUT code or name)',
    'rep.searchHint': 'E.g. 804200 or “brain”. Pick from the list or type a 5–7 digit code.',
    'rep.searching': 'Searching…',
    'rep.results': '{n} exams found.',
    'rep.resultsLabel': 'Exam results',
    'rep.noResults': 'No matching exam.',
    'rep.noName': '(no name on record)',
    'rep.noTemplate': 'no matched template',
    'rep.selected': 'Selected exam',
    'rep.selectedCode': 'Code not in the catalog: {code}',
    'rep.template': 'Template',
    'rep.templateAuto': 'Automatic (by exam)',
    'rep.templateAutoNamed': 'Automatic: {name}',
    'rep.templateLibrary': 'Library',
    'rep.templateOwn': 'My templates',
    'rep.step2': '2. Dictation',
    'rep.source': 'Input',
    'rep.source.record': 'Record with microphone',
    'rep.source.file': 'Upload an audio file',
    'rep.source.text': 'Type the findings',
    'rep.record': 'Start recording',
    'rep.stop': 'Stop',
    'rep.discard': 'Discard recording',
    'rep.recording': 'Recording…',
    'rep.recorded': 'Recording ready: {seconds} seconds.',
    'rep.duration': 'Recording length',
    'rep.playback': 'Play the recording',
    'rep.micDenied': 'The microphone could not be used: {reason}',
    'rep.noRecorder': 'This browser cannot record audio; upload an audio file or type the findings.',
    'rep.needsHttps': 'Browsers give the microphone only to pages opened over HTTPS (or on this computer); upload an audio file or type the findings.',
    'rep.file': 'Audio file',
    'rep.fileHint': 'WAV, MP3, M4A, OGG or WebM; at most 50 MB.',
    'rep.text': 'Findings / dictation text',
    'rep.textHint': 'You may type headings too: “Findings: … Conclusion: …”.',
    'rep.patientName': 'Patient name',
    'rep.patientId': 'Patient ID',
    'rep.accession': 'Accession number',
    'rep.inputLang': 'Dictation language',
    'rep.outputLang': 'Report language',
    'rep.langHint': 'Spoken dictation is recognised in English today; for Turkish, type the findings.',
    'rep.step3': '3. Create the report',
    'rep.submit': 'Create report',
    'rep.submitting': 'Sending…',
    'rep.needExam': 'Pick an exam first, or type a valid SUT code (5–7 digits).',
    'rep.needInput': 'Record a dictation, choose an audio file or type the findings.',
    'rep.stillRecording': 'Stop the recording first.',
    'rep.progress': 'Progress',
    'rep.jobStarted': 'The job is queued. Estimated time: {seconds} s. Remaining credits: {credits}.',
    'rep.elapsed': 'Elapsed: {seconds} s',
    'rep.pollGaveUp': 'The job is taking longer than expected.',
    'rep.keepWaiting': 'Keep waiting',
    'rep.failed': 'The report could not be created: {message}',
    'rep.step4': '4. Review and save',
    'rep.reviewLead': 'Review and edit the sections, then save.',
    'rep.transcript': 'Recognised text',
    'rep.templateUsed': 'Template: {how}',
    'rep.used.custom': 'the template you chose',
    'rep.used.matched': 'the exam’s matched template',
    'rep.used.default': 'default layout',
    'rep.save': 'Save report',
    'rep.saving': 'Saving…',
    'rep.saved': 'Report saved (revision {revision}).',
    'rep.openReport': 'Open the report',
    'rep.newReport': 'New report',
    'rep.empty': 'At least one section must have text.',

    'export.title': 'Export',
    'export.pdf': 'PDF',
    'export.docx': 'Word (DOCX)',
    'export.rtf': 'RTF',
    'export.txt': 'Text (TXT)',
    'export.print': 'Print view',

    'tpl.title': 'Templates',
    'tpl.lead': 'Browse the library templates; create, edit and delete your own.',
    'tpl.list': 'Template list',
    'tpl.filter': 'Filter the list',
    'tpl.new': 'New template',
    'tpl.none': 'No templates to show.',
    'tpl.owner.library': 'Library',
    'tpl.owner.own': 'Mine',
    'tpl.viewTitle': 'Template: {name}',
    'tpl.copy': 'New template from a copy',
    'tpl.copyName': '{name} (copy)',
    'tpl.editorNew': 'New template',
    'tpl.editorEdit': 'Edit template: {name}',
    'tpl.name': 'Template name',
    'tpl.format': 'Format',
    'tpl.modality': 'Modality',
    'tpl.bodyPart': 'Body part',
    'tpl.bodyPartHint': 'E.g. brain, chest, abdomen, lumbar_spine.',
    'tpl.language': 'Language',
    'tpl.content': 'Content',
    'tpl.file': 'Load from a file (.txt, .rtf, .html)',
    'tpl.fileLoaded': 'Loaded “{name}”.',
    'tpl.fileError': 'The file could not be read.',
    'tpl.fileTooLarge': 'The file is too large (at most 512 KB).',
    'tpl.placeholders': 'Placeholders',
    'tpl.placeholdersHint': 'A template needs at least one placeholder and no other {{…}}. Click one to insert it at the cursor. HTML and RTF templates may hold formatting only (no scripts, links, styles, fields or objects).',
    'tpl.saved': 'Template saved.',
    'tpl.deleted': 'Template deleted.',
    'tpl.confirmTitle': 'Delete the template?',
    'tpl.confirmDelete': 'The template “{name}” will be deleted. This cannot be undone.',
    'tpl.missingName': 'A template name is required.',
    'tpl.missingContent': 'Content is required.',
    'tpl.anyModality': '(none)',
    'tpl.importMrrt': 'Import an MRRT template',
    'tpl.importMrrtHint': 'Adds an HTML template in the RSNA RadReport / IHE MRRT form as your own template.',
    'tpl.imported': 'Imported “{name}”.',
    'ph.BULGULAR': 'Findings',
    'ph.SONUC': 'Conclusion',
    'ph.IZLENIM': 'Impression',
    'ph.TEKNIK': 'Technique',
    'ph.KLINIK': 'Clinical information',
    'ph.KARSILASTIRMA': 'Comparison',

    'hist.title': 'Report history',
    'hist.lead': 'Search, open and export your saved reports.',
    'hist.searchTitle': 'Search',
    'hist.q': 'Free text',
    'hist.patient': 'Patient (name or ID)',
    'hist.accession': 'Accession',
    'hist.exam': 'Exam (code or name)',
    'hist.modality': 'Modality',
    'hist.any': 'All',
    'hist.from': 'From date',
    'hist.to': 'To date',
    'hist.search': 'Search',
    'hist.reset': 'Clear',
    'hist.results': 'Results',
    'hist.none': 'No report matches the search.',
    'hist.count': '{total} reports',

    'report.title': 'Report',
    'report.details': 'Report details',
    'report.created': 'Created',
    'report.updated': 'Last updated',
    'report.revisionN': 'Revision {revision}',
    'report.viewingOld': 'You are viewing an older revision ({revision}). Saving makes this content a new revision.',
    'report.toLatest': 'Back to the current revision',
    'report.sections': 'Report sections',
    'report.save': 'Save as a new revision',
    'report.saving': 'Saving…',
    'report.saved': 'Saved: revision {revision}.',
    'report.revisions': 'Revisions',
    'report.current': 'current',
    'report.viewing': 'viewing',
    'report.missingId': 'No report was given to open.',
    'report.back': 'Back to report history',

    'print.title': 'Print view',
    'print.print': 'Print',
    'print.back': 'Back to the report',
    'print.footer': 'Prepared with RaportAI · Report {id} · revision {revision}'
};

const DICT = { tr, en };

/* Strings of page families kept in modules of their own ({tr: {...}, en: {...}};
 * i18n-corporate.js: organization workspace, API keys, pilot, admin and
 * accounting; i18n-macros.js: the voice macros of the templates page),
 * merged here so every page and the consistency test see one
 * dictionary. A key defined above wins over a merged one. */
for (const extra of [CORPORATE_STRINGS, MACRO_STRINGS]) {
    for (const lang of LANGS) {
        for (const [key, text] of Object.entries(extra[lang] || {})) {
            if (!Object.prototype.hasOwnProperty.call(DICT[lang], key)) {
                DICT[lang][key] = text;
            }
        }
    }
}

/** The interface language: 'tr' (the default) or 'en'. */
export function currentLang() {
    let lang = null;
    try {
        lang = window.localStorage.getItem(STORAGE_KEY);
    } catch (e) {
        lang = null; /* storage blocked: use the default */
    }
    return LANGS.includes(lang) ? lang : 'tr';
}

function interpolate(text, vars) {
    if (!vars) {
        return text;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name) =>
        Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole);
}

/** The string for key in lang, with {name} replaced from vars. */
export function tIn(lang, key, vars) {
    const dict = DICT[lang] || tr;
    let text = dict[key];
    if (text === undefined) {
        text = tr[key];
    }
    if (text === undefined) {
        return key;
    }
    return interpolate(text, vars);
}

/** The string for key in the current language. */
export function t(key, vars) {
    return tIn(currentLang(), key, vars);
}

/** True when the dictionary has key (pages use it to pick a translated
 *  error message when there is one). */
export function hasKey(key) {
    return Object.prototype.hasOwnProperty.call(tr, key);
}

function readVars(el) {
    const raw = el.getAttribute('data-i18n-vars');
    if (!raw) {
        return undefined;
    }
    try {
        return JSON.parse(raw);
    } catch (e) {
        return undefined;
    }
}

const ATTRIBUTES = [
    ['data-i18n-placeholder', 'placeholder'],
    ['data-i18n-title', 'title'],
    ['data-i18n-aria-label', 'aria-label']
];

/** Translates root (an element or the document) and its descendants. */
export function applyI18n(root) {
    const base = root || document;
    const scope = base.querySelectorAll ? base : document;
    const nodes = Array.from(scope.querySelectorAll('[data-i18n]'));
    if (base.nodeType === 1 && base.hasAttribute('data-i18n')) {
        nodes.push(base);
    }
    for (const el of nodes) {
        el.textContent = t(el.getAttribute('data-i18n'), readVars(el));
    }
    for (const [dataAttr, attr] of ATTRIBUTES) {
        for (const el of scope.querySelectorAll('[' + dataAttr + ']')) {
            el.setAttribute(attr, t(el.getAttribute(dataAttr)));
        }
    }
    if (base === document) {
        document.documentElement.lang = currentLang();
    }
}

/** Changes the interface language and re-translates the page. */
export function setLang(lang) {
    if (!LANGS.includes(lang)) {
        return;
    }
    try {
        window.localStorage.setItem(STORAGE_KEY, lang);
    } catch (e) {
        /* storage blocked: the choice lasts for this page only */
    }
    applyI18n(document);
    window.dispatchEvent(new CustomEvent('raportai:lang', { detail: { lang } }));
}

function locale() {
    return currentLang() === 'tr' ? 'tr-TR' : 'en-GB';
}

/** A date (YYYY-MM-DD or ISO time) as the current language writes it;
 *  '' for nothing, the input itself when it is not a date. */
export function formatDate(iso) {
    if (!iso) {
        return '';
    }
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) {
        return String(iso);
    }
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(d);
}

/** A time stamp with date and time, in the browser's time zone. */
export function formatDateTime(iso) {
    if (!iso) {
        return '';
    }
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) {
        return String(iso);
    }
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The dictionaries, for the consistency test only. */
export const DICTIONARIES = DICT;
