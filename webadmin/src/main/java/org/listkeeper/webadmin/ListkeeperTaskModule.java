package org.listkeeper.webadmin;

import java.util.Set;

import javax.inject.Inject;

import org.apache.james.server.task.json.TaskExtensionModule;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;
import org.apache.james.server.task.json.dto.TaskDTO;
import org.apache.james.server.task.json.dto.TaskDTOModule;
import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;
import org.listkeeper.webadmin.service.ArchiveImportDetailsDTO;
import org.listkeeper.webadmin.service.ListImportDetailsDTO;
import org.listkeeper.webadmin.service.MemberImportDetailsDTO;

/**
 * Lets {@code GET /tasks/{id}} show the counters of Listkeeper's tasks (a roster import). Listed in
 * {@code extensions.properties} as {@code guice.extension.task=org.listkeeper.webadmin.ListkeeperTaskModule}: an
 * extension module cannot add to WebAdmin's own set of task descriptions, this key is how James takes them.
 */
public final class ListkeeperTaskModule implements TaskExtensionModule {
    @Inject
    public ListkeeperTaskModule() {
    }

    @Override
    public Set<TaskDTOModule<? extends Task, ? extends TaskDTO>> taskDTOModules() {
        // the in-process task manager keeps tasks as objects; only a distributed one would serialise them
        return Set.of();
    }

    @Override
    public Set<AdditionalInformationDTOModule<? extends TaskExecutionDetails.AdditionalInformation, ? extends AdditionalInformationDTO>>
        taskAdditionalInformationDTOModules() {
        return Set.of(MemberImportDetailsDTO.MODULE, ArchiveImportDetailsDTO.MODULE, ListImportDetailsDTO.MODULE);
    }
}
