"""Brazilian Portuguese for every page text; the English text is the key (tests check none is missing)."""

PT_BR: dict[str, str] = {
    # Accounts and errors
    "Log in": "Entrar", "First run": "Primeiro acesso",
    "Create the first administrator": "Criar o primeiro administrador",
    "No account exists yet. The first account administers this gateway and its tenant.":
        "Ainda não existe nenhuma conta. A primeira conta administra este gateway e seu tenant.",
    "Tenant (your team or company)": "Tenant (sua equipe ou empresa)",
    "Create administrator": "Criar administrador", "Wrong e-mail or password.": "E-mail ou senha incorretos.",
    "You are logged out.": "Você saiu da sua conta.", "Error {status}": "Erro {status}",
    "Back to the start page": "Voltar à página inicial",
    # Layout and navigation
    "Main": "Principal", "Instances": "Instâncias", "Events": "Eventos", "Settings": "Configurações",
    "Log out": "Sair", "Close": "Fechar", "Actions": "Ações", "Name": "Nome", "Server": "Servidor",
    "yes": "sim", "no": "não", "never": "nunca", "View": "Ver",
    # Instances
    "Create or import instances": "Criar ou importar instâncias", "Create": "Criar", "Import": "Importar",
    "Import every instance of": "Importar todas as instâncias de", "Delivery": "Entrega",
    "Choose a registered server.": "Escolha um servidor cadastrado.",
    "No provider server is registered yet.": "Nenhum servidor de provedor cadastrado ainda.",
    "Add one in Settings.": "Cadastre um em Configurações.", "No instances yet.": "Nenhuma instância ainda.",
    "Instance {name} created.": "Instância {name} criada.",
    "{count} instance(s) imported.": "{count} instância(s) importada(s).",
    "State": "Estado", "Phone / profile": "Telefone / perfil", "Last event": "Último evento",
    "Connect": "Conectar", "Connection": "Conexão", "Delete": "Excluir",
    "Delete {name} on the provider and here, with its events?":
        "Excluir {name} no provedor e aqui, com seus eventos?",
    "The provider differs from the chosen mode": "O provedor difere do modo escolhido",
    "QR code for {name}": "QR code de {name}",
    "Scan with WhatsApp to connect {name}.": "Escaneie com o WhatsApp para conectar {name}.",
    "Pairing code": "Código de pareamento",
    "open": "conectado", "connecting": "conectando", "close": "desconectado", "unknown": "desconhecido",
    "Webhook": "Webhook", "WebSocket": "WebSocket", "None": "Nenhuma",
    # Connection modal
    "Configure connection – {name}": "Configurar Conexão – {name}",
    "Webhook and WebSocket cannot be active at the same time. Enabling one disables the other automatically.":
        "Webhook e WebSocket não podem estar ativos ao mesmo tempo. Ativar um desativa o outro automaticamente.",
    "Receives messages via HTTP POST": "Recebe mensagens via HTTP POST",
    "Receives messages in real time via WS": "Recebe mensagens em tempo real via WS",
    "Receive media as Base64": "Receber mídias em Base64",
    "Recommended: converts media automatically": "Recomendado: converte mídias automaticamente",
    "Enabling the webhook…": "Ativando o webhook…", "Disabling the webhook…": "Desativando o webhook…",
    "Enabling the WebSocket…": "Ativando o WebSocket…", "Disabling the WebSocket…": "Desativando o WebSocket…",
    "Webhook settings": "Configurações do webhook", "URL given to the provider": "URL informada ao provedor",
    "Copy full URL": "Copiar URL completa", "Copied": "Copiado", "Copy failed": "Falha ao copiar",
    "The secret part is hidden here; the copy button puts the full URL on the clipboard.":
        "A parte secreta fica oculta aqui; o botão de copiar coloca a URL completa na área de transferência.",
    "The secret part is hidden; operators can copy the full URL.":
        "A parte secreta fica oculta; operadores podem copiar a URL completa.",
    "Webhook by events (one URL per event)": "Webhook por eventos (uma URL por evento)",
    "Select all": "Selecionar todos", "Select none": "Limpar seleção", "Applying…": "Aplicando…",
    "All": "Todos", "Clear": "Limpar", "Select all: {group}": "Selecionar todos: {group}",
    "Clear: {group}": "Limpar: {group}", "{chosen} of {total} chosen": "{chosen} de {total} escolhidos",
    "none chosen: the provider sends every event": "nenhum escolhido: o provedor envia todos os eventos",
    "Current state": "Estado atual", "Yes": "Sim", "No": "Não",
    "You can look but not change: switching needs the operator role.":
        "Você pode ver, mas não alterar: a troca exige o papel de operador.",
    "Connection, QR and logout events always reach the gateway: it needs them.":
        "Eventos de conexão, QR e logout sempre chegam ao gateway: ele precisa deles.",
    "Webhook active with Base64: {answer}": "Webhook ativo com Base64: {answer}",
    "In WebSocket mode Evolution sends media without Base64.":
        "No modo WebSocket a Evolution envia mídia sem Base64.",
    "No active connection – messages will not be received":
        "Nenhuma conexão ativa – mensagens não serão recebidas",
    "WebSocket connected": "WebSocket conectado", "WebSocket connecting…": "WebSocket conectando…",
    "WebSocket reconnecting…": "WebSocket reconectando…", "WebSocket stopped": "WebSocket parado",
    "WebSocket not started": "WebSocket não iniciado", "WebSocket failed": "Falha no WebSocket",
    "Waiting for the instance's first event (Evolution opens its socket namespace only then)":
        "Aguardando o primeiro evento da instância (a Evolution só abre o namespace do socket nesse momento)",
    "connected": "conectado", "retrying": "reconectando", "idle": "aguardando", "stopped": "parado",
    "refused": "recusado", "not started": "não iniciado",
    "Nothing changed.": "Nada mudou.",
    "Webhook enabled! WebSocket was disabled.": "Webhook ativado! WebSocket foi desativado.",
    "Webhook enabled!": "Webhook ativado!", "Webhook settings saved.": "Configurações do webhook salvas.",
    "WebSocket enabled! Webhook was disabled.": "WebSocket ativado! Webhook foi desativado.",
    "WebSocket enabled!": "WebSocket ativado!",
    "Webhook disabled!": "Webhook desativado!", "WebSocket disabled!": "WebSocket desativado!",
    # The event picker (the providers' catalogues)
    "Messages": "Mensagens", "Contacts": "Contatos", "Chats": "Conversas", "Groups": "Grupos",
    "Connection & QR": "Conexão e QR", "Calls": "Chamadas", "Labels": "Etiquetas", "Integrations": "Integrações",
    "New message received or sent": "Mensagem nova recebida ou enviada",
    "Message status changed (delivered, read)": "Status da mensagem mudou (entregue, lida)",
    "Message edited": "Mensagem editada", "Message deleted": "Mensagem apagada",
    "Message history loaded": "Histórico de mensagens carregado",
    "Message sent through the API": "Mensagem enviada pela API", "Sent message updated": "Mensagem enviada atualizada",
    "Contact added": "Contato adicionado", "Contact changed": "Contato alterado",
    "Contact list loaded": "Lista de contatos carregada", "Online, typing or recording": "Online, digitando ou gravando",
    "Chat added": "Conversa adicionada", "Chat changed": "Conversa alterada", "Chat deleted": "Conversa apagada",
    "Chat list loaded": "Lista de conversas carregada", "Group created or joined": "Grupo criado ou ingressado",
    "Group details changed": "Dados do grupo alterados",
    "Participants added, removed or promoted": "Participantes adicionados, removidos ou promovidos",
    "New QR code to scan": "Novo QR code para escanear", "Connection state changed": "Estado da conexão mudou",
    "Incoming call": "Chamada recebida", "Label created or changed": "Etiqueta criada ou alterada",
    "Label added to or removed from a chat": "Etiqueta adicionada ou removida de uma conversa",
    "Instance status changed": "Status da instância mudou", "Instance logged out": "Instância desconectada",
    "Instance removed": "Instância removida", "Instance created": "Instância criada",
    "Instance deleted": "Instância excluída", "Provider started": "Provedor iniciado",
    "Typebot session started": "Sessão do Typebot iniciada",
    "Typebot session status changed": "Status da sessão do Typebot mudou",
    "The provider refused the change: {message}": "O provedor recusou a alteração: {message}",
    "Provider error: {message}": "Erro do provedor: {message}",
    # Event monitor
    "Instance": "Instância", "All instances": "Todas as instâncias", "Event name contains": "Nome do evento contém",
    "Filter": "Filtrar", "Pause": "Pausar", "Resume": "Retomar",
    "Paused: new events are held.": "Pausado: novos eventos ficam retidos.", "Received": "Recebido",
    "Event": "Evento", "Summary": "Resumo", "Payload": "Conteúdo", "{count} events skipped": "{count} eventos pulados",
    # Settings
    "Provider servers": "Servidores de provedor", "Kind": "Tipo", "API key": "Chave de API",
    "Global events": "Eventos globais", "Global events (one socket for the whole server)":
        "Eventos globais (um socket para o servidor todo)",
    "Test connection": "Testar conexão", "No server yet.": "Nenhum servidor ainda.", "Add server": "Adicionar servidor",
    "Server {name} added.": "Servidor {name} adicionado.", "Server {name} answered.": "O servidor {name} respondeu.",
    "Users": "Usuários", "E-mail": "E-mail", "Password": "Senha", "Role": "Papel", "Add user": "Adicionar usuário",
    "User {email} added.": "Usuário {email} adicionado.",
    "admin": "administrador", "operator": "operador", "viewer": "leitor",
    "API tokens": "Tokens de API", "Token name": "Nome do token", "Create token": "Criar token",
    "Give the token a name.": "Dê um nome ao token.", "last used": "último uso",
    "Copy this token now; it will not be shown again:": "Copie este token agora; ele não será mostrado de novo:",
    "New API token": "Novo token de API",
    # Live updates across processes (the bus over Redis)
    "Live updates are degraded: events stored by other gateway processes do not reach this page. It catches up on its own once they do.":
        "Atualizações ao vivo degradadas: eventos gravados por outros processos do gateway não chegam a esta página. Ela se atualiza sozinha quando voltarem a chegar.",
    # Catch-up
    "Catch up": "Recuperar eventos",
    "Read back from the provider what delivery missed": "Buscar no provedor o que a entrega perdeu",
    "{name} caught up: {recovered} missed event(s) recovered of {read} read.":
        "{name} atualizada: {recovered} evento(s) perdido(s) recuperado(s) de {read} lido(s).",
    # Instances: filter, times, per-row actions, pairing code, QR countdown
    "Search": "Buscar", "Receives by": "Recebe por", "Any": "Qualquer",
    "just now": "agora mesmo",
    "{count} seconds ago": "há {count} segundos",
    "{count} minute ago": "há {count} minuto", "{count} minutes ago": "há {count} minutos",
    "{count} hour ago": "há {count} hora", "{count} hours ago": "há {count} horas",
    "{count} day ago": "há {count} dia", "{count} days ago": "há {count} dias",
    "Sync now": "Sincronizar agora", "Reconnect socket": "Reconectar socket", "More": "Mais",
    "Read webhook, websocket and state from the provider now":
        "Ler agora do provedor o webhook, o websocket e o estado",
    "{name} was read from the provider again.": "{name} foi lido novamente do provedor.",
    "The socket of {name} is reconnecting.": "O socket de {name} está reconectando.",
    "Disconnect number": "Desconectar número",
    "Phone number with country code": "Número de telefone com código do país",
    "Get a pairing code": "Obter código de pareamento",
    "Type the pairing code in WhatsApp on the phone of {name}.":
        "Digite o código de pareamento no WhatsApp do telefone de {name}.",
    "Type this pairing code in WhatsApp to connect {name}:":
        "Digite este código de pareamento no WhatsApp para conectar {name}:",
    "WhatsApp › Linked devices › Link with phone number instead":
        "WhatsApp › Dispositivos conectados › Conectar com número de telefone",
    "This code changes in {seconds} s.": "Este código muda em {seconds} s.",
    "This code has expired.": "Este código expirou.",
    "Codes change every {seconds} s.": "Os códigos mudam a cada {seconds} s.",
    "Refresh code": "Atualizar código",
    # Provider failures the gateway wraps, and the steps of a switch
    "The provider did not answer in time: {message}": "O provedor não respondeu a tempo: {message}",
    "The provider is unavailable: {message}": "O provedor está indisponível: {message}",
    "The provider refused the API key: {message}": "O provedor recusou a chave de API: {message}",
    "The provider does not know it: {message}": "O provedor não o conhece: {message}",
    "The provider did not keep the setting: {message}": "O provedor não manteve a configuração: {message}",
    "The provider refused the request: {message}": "O provedor recusou o pedido: {message}",
    "{step} failed: {message}": "falha ao {step}: {message}",
    "(could not undo: {steps})": "(não foi possível desfazer: {steps})",
    "enabling the webhook": "ativar o webhook", "enabling the websocket": "ativar o websocket",
    "starting the socket client": "iniciar o cliente de socket", "disabling the webhook": "desativar o webhook",
    "disabling the websocket": "desativar o websocket",
    # Event monitor: search, range, paging, export, held count, summaries
    "Text (number, message)": "Texto (número, mensagem)", "From (UTC)": "De (UTC)", "To (UTC)": "Até (UTC)",
    "{count} held": "{count} retido(s)", "Download these events:": "Baixar estes eventos:",
    "Load older events": "Carregar eventos anteriores", "No older events.": "Não há eventos anteriores.",
    "me": "eu", "pending": "pendente", "sent to the server": "enviada ao servidor", "delivered": "entregue",
    "read": "lida", "played": "reproduzida", "failed to send": "falha no envio", "deleted": "apagada",
    "New QR code": "Novo QR code", "QR code limit reached": "Limite de QR codes atingido",
    "Logged out of WhatsApp": "Desconectado do WhatsApp",
    # Password change, audit log (engineer "accounts")
    "Change password": "Trocar senha", "Current password": "Senha atual", "New password": "Nova senha",
    "New password again": "Nova senha de novo",
    "Common or simple passwords are refused; a few unrelated words make a good one.":
        "Senhas comuns ou simples são recusadas; algumas palavras sem relação entre si formam uma boa senha.",
    "The new passwords do not match.": "As novas senhas não conferem.",
    "Your password was changed. Your other sessions were logged out.":
        "Sua senha foi trocada. Suas outras sessões foram encerradas.",
    "Audit log": "Registro de auditoria", "Export as JSON": "Exportar como JSON", "When": "Quando",
    "Who": "Quem", "Change": "Mudança", "Target": "Alvo", "Before": "Antes", "After": "Depois",
    "No change recorded yet.": "Nenhuma mudança registrada ainda.",
    "Too many failed logins for this account. Try again in {seconds} seconds.":
        "Tentativas de login com falha demais para esta conta. Tente de novo em {seconds} segundos.",
    "Too many failed logins from this address. Try again in {seconds} seconds.":
        "Tentativas de login com falha demais a partir deste endereço. Tente de novo em {seconds} segundos.",
    "Too many requests for this API token. Slow down.": "Requisições demais para este token de API. Vá mais devagar.",
    "Too many requests for this tenant. Slow down.": "Requisições demais para este tenant. Vá mais devagar.",
}
