/**
 * The registry's sentences in Spanish (usted, plain words): what a Spanish-speaking participant
 * reads in their timeline. audit-actions.ts reads it as a record over every registered action, so
 * an action added in English without its Spanish sentence does not compile (and
 * audit-actions.test.ts checks both lists match).
 */
export const AUDIT_ACTION_SPANISH = {
  // Cuentas e inicio de sesión.
  'user.create': 'Se creó una cuenta',
  'user.list': 'El personal consultó la lista de cuentas',
  'user.role.change': 'Un administrador cambió la función de una cuenta',
  'user.disable': 'Un administrador desactivó una cuenta',
  'user.enable': 'Un administrador activó una cuenta',
  'user.researcher_status.confirm': 'Se confirmó la condición de investigador de una persona',
  'user.language.change': 'Cambió el idioma del portal',
  'auth.login': 'Inició sesión',
  'auth.login_failed': 'Falló un intento de iniciar sesión en su cuenta',
  'auth.logout': 'Cerró sesión',
  'auth.logout_everywhere': 'Cerró sesión en todos sus dispositivos',
  'auth.session.end': 'Cerró sesión en un dispositivo',
  'auth.password_change': 'Cambió su contraseña',
  'auth.password_change.refused': 'Se rechazó un cambio de contraseña',
  'auth.password_reset.request': 'Se pidió un enlace para restablecer la contraseña de su cuenta',
  'auth.password_reset': 'Puso una contraseña nueva con un enlace de restablecimiento',
  'auth.oidc_failed': 'Falló un inicio de sesión a través de su institución',
  'user.email.change': 'Cambió su dirección de correo electrónico',
  'user.force_sign_out': 'Un administrador cerró todas las sesiones de una cuenta',
  'user.affiliation.assert': 'Un administrador registró la institución de un investigador',
  'identity.link': 'Vinculó el inicio de sesión de su institución a su cuenta',
  'identity.link.refused':
    'Se rechazó la vinculación del inicio de sesión de una institución a su cuenta',
  'mfa.totp.enrol_start': 'Empezó a configurar una aplicación de autenticación',
  'mfa.totp.enrol': 'Configuró una aplicación de autenticación',
  'mfa.verify': 'Confirmó un inicio de sesión con su segundo factor',
  'mfa.verify_failed': 'Se introdujo un código de segundo factor incorrecto en su cuenta',
  'mfa.locked': 'Se pausaron los códigos de segundo factor tras demasiados intentos fallidos',
  'mfa.passkey.add': 'Añadió una llave de acceso como segundo factor',
  'mfa.passkey.rename': 'Cambió el nombre de una llave de acceso de segundo factor',
  'mfa.passkey.remove': 'Quitó una llave de acceso de segundo factor',
  'auth.email_verify.send': 'Se envió un enlace para confirmar su correo electrónico',
  'auth.email_verify': 'Confirmó su dirección de correo electrónico',
  'auth.email_verify.failed': 'Se rechazó un enlace para confirmar un correo electrónico',
  'passkey.add': 'Añadió una llave de acceso para firmar su consentimiento',
  'participant.link.offer': 'Empezó a vincular su registro de aquí con su registro en otro centro',
  'participant.link.accept': 'Vinculó su registro de aquí con su registro en otro centro',
  'consent.linked.apply': 'Se aplicó aquí una decisión que usted firmó en un centro vinculado',
  'passkey.remove': 'Quitó una llave de acceso',
  'passkey.reset':
    'Su centro del estudio restableció sus llaves de acceso después de comprobar su identidad',
  // Su registro.
  'participant.create': 'Su centro del estudio creó su registro',
  'participant.read': 'El personal abrió su registro',
  'participant.list': 'Su registro apareció en una lista de participantes',
  'participant.import': 'Su centro del estudio importó su registro',
  'participant.enrol': 'Se unió a Consentome',
  'participant.withdraw': 'Se retiró de toda la investigación',
  'participant.erasure.request': 'Se pidió borrar sus datos',
  'participant.erase': 'Se borraron sus datos personales',
  'enrolment_code.create': 'Su centro del estudio creó un código de inscripción para usted',
  // Consentimiento.
  'consent.read': 'Consultó sus decisiones de consentimiento',
  'consent.bundle.download': 'Descargó sus registros de consentimiento firmados',
  'consent.preferences.update': 'Cambió sus decisiones de consentimiento',
  'consent_request.create': 'Un estudio pidió usar sus datos',
  'consent_request.list': 'Consultó las solicitudes de los estudios',
  'consent_request.answer': 'Respondió a la solicitud de un estudio',
  'data_use.read': 'Consultó cómo se usan sus datos',
  // El registro de auditoría.
  'audit.read': 'Consultó este historial',
  'audit.digest': 'Se le envió su resumen semanal',
  'digest.subscribe': 'Activó o desactivó el resumen semanal por correo electrónico',
  'audit.verify': 'Se verificó el registro de auditoría',
  'audit.facets': 'El personal hizo una búsqueda en el registro de auditoría',
  'audit.activity': 'El personal consultó la actividad del registro de auditoría',
  // Búsquedas y conjuntos de datos.
  'cohort.count': 'Un investigador contó un grupo de participantes en el que usted podría estar',
  'beacon.query': 'Una búsqueda contó datos entre los que podrían estar los suyos',
  'beacon.query.public': 'Se respondió a una búsqueda pública',
  'network.count':
    'Un investigador contó un grupo de participantes en la red de instituciones, en el que usted podría estar',
  'dataset.register': 'Un responsable de datos registró un conjunto de datos',
  'dataset.update': 'Un responsable de datos actualizó un conjunto de datos',
  'dataset.data_use.narrow':
    'Se restringieron las condiciones de uso de un conjunto de datos que contiene sus datos',
  'dataset.data_use.widen_request':
    'Un responsable de datos pidió ampliar las condiciones de uso de un conjunto de datos',
  'dataset.data_use.vote':
    'Un miembro del comité de acceso de un conjunto de datos votó sobre ampliar sus condiciones de uso',
  'dataset.data_use.decide':
    'El comité de acceso de un conjunto de datos decidió sobre la ampliación de sus condiciones de uso',
  'dataset.ingest': 'Sus datos se añadieron a un conjunto de datos',
  'ontology.import': 'Se importó un vocabulario de términos',
  // Estudios y su revisión.
  'study.create': 'Un investigador preparó el borrador de un estudio',
  'study.update': 'Un investigador modificó un estudio',
  'study.read': 'Alguien abrió un estudio',
  'study.application.save': 'Un investigador guardó una sección de una solicitud de acceso a datos',
  'study.collaboration.confirm': 'Un colaborador confirmó su participación en un estudio',
  'study.request_pdf.read': 'Alguien imprimió una solicitud de acceso a datos',
  'study.document.upload': 'Un investigador añadió un documento a una solicitud de acceso a datos',
  'study.document.read': 'Alguien leyó un documento de una solicitud de acceso a datos',
  'study.document.integrity_failed':
    'Un documento de una solicitud de acceso a datos no superó la comprobación de integridad y no se mostró',
  'study.document.delete':
    'Se eliminó un documento de una solicitud de acceso a datos al terminar su plazo de conservación',
  'study.submit': 'Se envió un estudio al comité de ética',
  'study.approve': 'El comité de ética aprobó un estudio',
  'study.reject': 'El comité de ética rechazó un estudio',
  'study.withdraw': 'Un investigador retiró un estudio',
  'study.evidence.attach': 'Un investigador adjuntó la aprobación ética de un estudio',
  'study.application.read':
    'Un firmante autorizado de la institución del investigador leyó la solicitud de acceso completa de un estudio',
  'study.cohort.read': 'Alguien consultó las cifras del grupo de participantes de un estudio',
  'review.vote': 'Un miembro del comité de ética votó sobre un estudio',
  'review.consent_outlook.read':
    'El comité de ética consultó cómo el consentimiento divide el grupo de participantes de un estudio',
  'study.consent_responses.read':
    'Alguien consultó cómo han respondido las personas a las que un estudio preguntó (solo cifras)',
  // Acceso a sus datos.
  'grant.issue': 'Se dio a un estudio acceso a datos que incluyen los suyos',
  'grant.read': 'Alguien consultó el acceso de un estudio',
  'grant.revoke': 'Se revocó el acceso de un estudio',
  'grant.close_out': 'Se cerró el acceso de un estudio',
  'grant.renewal.submit': 'Un estudio envió su informe anual de progreso para renovar su acceso',
  'grant.renewal.renew': 'Un comité de acceso a datos renovó por un año el acceso de un estudio',
  'grant.renewal.decline': 'Un comité de acceso a datos no renovó el acceso de un estudio',
  'grant.renewal.remind': 'Se recordó a un estudio que debe renovar su acceso',
  'grant.renewal.overdue': 'Un estudio no renovó su acceso a tiempo',
  'grant.renewal.reschedule': 'Un comité de acceso a datos cambió cuándo debe renovar un estudio',
  'grant.closeout.attest': 'El investigador de un estudio declaró que destruyó los datos',
  'grant.closeout.countersign':
    'Un responsable institucional refrendó que se destruyeron los datos de un estudio',
  'grant.expire': 'Terminó el acceso de un estudio',
  'grant.deletion.request': 'Se pidió a un estudio que borrara sus datos',
  'grant.deletion.confirm': 'Un estudio confirmó que borró sus datos',
  'export.create': 'Un investigador preparó una exportación de datos de un estudio',
  'export.include': 'Sus datos se incluyeron en la exportación de un estudio',
  'export.download': 'Un investigador descargó una exportación que incluye sus datos',
  'export.download.refused': 'Se rechazó una descarga que incluía sus datos',
  'results.return.request':
    'Un estudio pidió al centro que contactara a personas por un hallazgo de la investigación',
  'results.return.contact':
    'Un estudio encontró algo que puede ser importante para usted; su centro se puso en contacto con usted',
  'results.return.withheld':
    'Un estudio encontró algo que puede ser importante para usted; usted no permite que le vuelvan a contactar, así que nadie lo hizo',
  'passport.issue': 'Se dio a un investigador un pasaporte de acceso a datos',
  'fhir.read': 'Un sistema de salud conectado consultó su consentimiento',
  'network.propose': 'Un administrador propuso un cambio en la red de instituciones',
  'network.vote': 'Un administrador votó sobre un cambio en la red de instituciones',
  'dataset.network_access.change':
    'Un gestor de datos cambió si otras instituciones de la red pueden abrir un conjunto de datos',
  'beacon.network_refused': 'Se rechazó una búsqueda de otra institución de la red',
  'beacon.member_budget.refused':
    'Otra institución de la red había agotado sus búsquedas del día; se rechazó una más',
  'network_access.request':
    'Un investigador de otra institución de la red pidió usar un conjunto de datos',
  'network_access.decide':
    'El comité de acceso a datos decidió sobre una solicitud de otra institución de la red',
  'network_access.refused':
    'Se rechazó una solicitud de otra institución de la red para usar un conjunto de datos',
  'network_export.create':
    'Un investigador de otra institución de la red preparó una exportación de un conjunto de datos',
  'network_remote.committee.set':
    'Un administrador eligió el comité que decide las solicitudes de conjuntos de datos de otras instituciones',
  'network_remote.request':
    'Un investigador de esta institución pidió usar un conjunto de datos de otra institución de la red',
  'network_remote.decide':
    'El comité de acceso a datos decidió sobre una solicitud para usar un conjunto de datos de otra institución',
  'network_remote.send':
    'Esta institución envió una solicitud aprobada a la institución de la red que tiene los datos',
  'network_remote.status':
    'La institución que tiene un conjunto de datos decidió sobre una solicitud enviada por esta institución',
  'network_remote.export':
    'Esta institución recibió una exportación de un conjunto de datos de otra institución de la red',
  'network_remote.download':
    'Un investigador descargó una exportación recibida de otra institución de la red',
  'network.update_self': 'Un administrador cambió los datos públicos de esta institución en la red',
  // Consentimiento asistido por el personal y representantes legales.
  'consent.paper.record':
    'Su centro de estudio registró una decisión que usted tomó en papel o en persona',
  'consent_form.register': 'Se registró una versión de un formulario de consentimiento en papel',
  'coordinator.participant.read':
    'El coordinador de consentimiento de su centro abrió su expediente',
  'record.entry.add': 'Añadió una entrada a su historial',
  'record.entry.add.clinician':
    'Un profesional clínico que usted autorizó añadió una entrada a su historial',
  'record.entry.revise': 'Corrigió una entrada de su historial',
  'record.entry.retract': 'Retiró una entrada de su historial',
  'record.entry.annotate': 'Añadió un comentario a una entrada de su historial',
  'record.entry.dispute': 'Impugnó una entrada de su historial',
  'record.read.own': 'Consultó su historial',
  'record.read.clinician': 'Un profesional clínico que usted autorizó consultó su historial',
  'record.genotypes.upload': 'Subió su propio archivo de genotipos a su historial',
  'record.genotypes.read': 'Consultó los archivos de genotipos que subió',
  'record.genotypes.retract': 'Retiró de su historial un archivo de genotipos',
  'record.download': 'Descargó su historial completo',
  'record.download.app': 'Una aplicación que usted autorizó leyó su historial completo',
  'record.app.authorise': 'Autorizó a una aplicación a leer su historial',
  'record.app.revoke': 'Retiró el acceso de una aplicación a su historial',
  'clinician.authorise': 'Autorizó a un profesional clínico a ver o añadir a su historial',
  'clinician.revoke': 'Terminó el acceso de un profesional clínico a su historial',
  'clinician.patients.list': 'Un profesional clínico consultó quién le ha autorizado',
  'care_team.authorise': 'Autorizó a un equipo asistencial a ver o añadir a su historial',
  'care_team.create': 'Un administrador creó un equipo asistencial',
  'care_team.member.add': 'Un administrador añadió un profesional clínico a un equipo asistencial',
  'care_team.member.remove':
    'Un administrador retiró a un profesional clínico de un equipo asistencial',
  'representative.link': 'Su centro de estudio le vinculó con un representante legal',
  'representative.end': 'Terminó la autoridad de su representante para actuar por usted',
  'representative.list': 'Consultó por quién puede actuar',
  'representative.decisions.confirm': 'Confirmó las decisiones que se tomaron por usted',
  // Recordatorios y consentimiento en la recogida.
  'consent_request.remind':
    'Se le recordó la solicitud de un estudio que usted no había contestado',
  'consent_request.reminders.set': 'Cambió cómo se le recuerdan las solicitudes de estudios',
  'dataset.collection_consent.change':
    'Un gestor de datos corrigió el registro del consentimiento que usted dio cuando se recogieron sus datos',
  // Comités de acceso a datos.
  'review.conflict.declare':
    'Un miembro del comité de ética declaró un conflicto de intereses en un estudio y se apartó',
  'review.election.decide':
    'Un comité de acceso a datos decidió sobre sus conjuntos de datos para un estudio',
  'review.election.remind':
    'Se recordó el plazo a los miembros del comité que aún no habían votado sobre un estudio',
  'review.election.overdue':
    'La votación de un comité de acceso a datos sobre un estudio superó su plazo',
  'review.election.close_overdue':
    'La presidencia de un comité cerró una votación vencida sobre un estudio con los votos emitidos',
  'dac.create': 'Un administrador creó un comité de acceso a datos',
  'dac.rename': 'Un administrador cambió el nombre de un comité de acceso a datos',
  'dac.member.add': 'Un administrador añadió un miembro a un comité de acceso a datos',
  'dac.member.remove': 'Un administrador quitó un miembro de un comité de acceso a datos',
  'dac.chair.set': 'Un administrador eligió a quien preside un comité de acceso a datos',
  'dac.rules.set': 'Un administrador cambió las reglas de votación de un comité de acceso a datos',
  'dua.publish':
    'Un comité de acceso a datos publicó una nueva versión de su acuerdo de uso de datos',
  'dua.accept': 'Un investigador o un firmante institucional aceptó un acuerdo de uso de datos',
  'library_card.issue':
    'Un firmante institucional emitió una tarjeta de biblioteca a un investigador',
  'library_card.revoke':
    'Un firmante institucional revocó la tarjeta de biblioteca de un investigador',
  'study.institution.approve':
    'El firmante institucional del investigador aprobó un estudio para los comités de acceso a datos',
  'study.institution.return': 'Un firmante institucional devolvió un estudio a su investigador',
  'study.institution.reject': 'Un firmante institucional rechazó un estudio',
  'dac.datasets.assign':
    'Un administrador eligió qué conjuntos de datos gobierna un comité de acceso a datos',
} as const satisfies Record<string, string>;
